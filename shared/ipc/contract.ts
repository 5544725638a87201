// The IPC contract: every channel main and renderer may use, declared once with its kind and schemas.
import type { z } from 'zod';
import { eventChannel, invokeChannel, type ChannelDef } from './channel';
import { AppInfoRequestSchema, AppInfoSchema } from './schemas/app';
import {
  DocumentsListRequestSchema,
  DocumentsListResponseSchema,
  DocumentsPreferencesRequestSchema,
  DocumentsPreferencesResponseSchema,
} from './schemas/documents';
import {
  ForwardResponseSchema,
  ForwardsChangedEventSchema,
  ForwardsCreateRequestSchema,
  ForwardsDeleteResponseSchema,
  ForwardsGroupRequestSchema,
  ForwardsGroupSettingsRequestSchema,
  ForwardsIdRequestSchema,
  ForwardsListRequestSchema,
  ForwardsListResponseSchema,
  ForwardsUpdateRequestSchema,
} from './schemas/forwards';
import {
  SsoAccountsRequestSchema,
  SsoAccountsStateSchema,
  SsoExportPreviewSchema,
  SsoExportRequestSchema,
  SsoExportResponseSchema,
  SsoIncludeRequestSchema,
  SsoSessionRequestSchema,
} from './schemas/identity-center';
import {
  FilesDownloadRequestSchema,
  FilesEmptyResponseSchema,
  FilesIdRequestSchema,
  FilesListRequestSchema,
  FilesListResponseSchema,
  FilesStartResponseSchema,
  FilesUploadChunkRequestSchema,
  FilesUploadStartRequestSchema,
  TransferViewSchema,
} from './schemas/files';
import { InventoryListRequestSchema, InventoryListResponseSchema } from './schemas/inventory';
import {
  ProfilesDeleteRequestSchema,
  ProfilesDeleteResponseSchema,
  ProfilesExportRequestSchema,
  ProfilesExportResponseSchema,
  ProfilesImportRequestSchema,
  ProfilesImportResponseSchema,
  ProfilesListRequestSchema,
  ProfilesListResponseSchema,
  ProfilesSaveRequestSchema,
  ProfilesSaveResponseSchema,
} from './schemas/profiles';
import {
  EmptyResponseSchema,
  SessionsAckRequestSchema,
  SessionsAttachableRequestSchema,
  SessionsAttachableResponseSchema,
  SessionsAttachRequestSchema,
  SessionsCloseRequestSchema,
  SessionsInputRequestSchema,
  SessionsOutputEventSchema,
  SessionsResizeRequestSchema,
  SessionsStartRequestSchema,
  SessionsStartResponseSchema,
  SessionsLimitsEventSchema,
  SessionsStatusEventSchema,
} from './schemas/sessions';
import {
  RecordingsChangedEventSchema,
  RecordingsDeleteResponseSchema,
  RecordingsIdRequestSchema,
  RecordingsListRequestSchema,
  RecordingsListResponseSchema,
  RecordingsReadResponseSchema,
} from './schemas/recordings';
import {
  SessionsListRequestSchema,
  SessionsListResponseSchema,
  SessionsTerminateRequestSchema,
} from './schemas/session-history';
import {
  SourcesBrowserLoginStartedEventSchema,
  SourcesChangedEventSchema,
  SourcesListRequestSchema,
  SourcesLoginCancelResponseSchema,
  SourcesLoginRequestSchema,
  SourcesLoginStartedEventSchema,
  SourcesMfaAnswerRequestSchema,
  SourcesMfaRequestedEventSchema,
  SourcesMfaSettledEventSchema,
  SourcesProfileRequestSchema,
  SourcesRegionsResponseSchema,
  SourcesSandboxSignInAnswerRequestSchema,
  SourcesSandboxSignInRequestedEventSchema,
  SourcesSandboxSignInSettledEventSchema,
  SourcesReloadRequestSchema,
  SourcesSelectRequestSchema,
  SourcesStateSchema,
} from './schemas/sources';
import {
  SshCommandResponseSchema,
  SshOpenVsCodeRequestSchema,
  SshOpenVsCodeResponseSchema,
  SshTargetRequestSchema,
} from './schemas/ssh';
import { RdpOpenResponseSchema } from './schemas/rdp';
import {
  SettingsChangedEventSchema,
  SettingsGetRequestSchema,
  SettingsResponseSchema,
  SettingsSetRequestSchema,
} from './schemas/settings';

export const channels = {
  'app:info': invokeChannel({
    request: AppInfoRequestSchema,
    response: AppInfoSchema,
    summary: 'Mode, version and what the app is connected to (Local sandbox or AWS profiles).',
  }),
  'inventory:list': invokeChannel({
    request: InventoryListRequestSchema,
    response: InventoryListResponseSchema,
    summary:
      'Managed instances of every source and region, with names, tags, IPs and reachability.',
  }),
  'inventory:changed': eventChannel({
    payload: InventoryListResponseSchema,
    summary: 'The inventory after a background or per-profile refresh finished.',
  }),
  'ssh:open-vscode': invokeChannel({
    request: SshOpenVsCodeRequestSchema,
    response: SshOpenVsCodeResponseSchema,
    summary:
      'Write the instance into ~/.ssh/airlock/config and start VS Code Remote-SSH on it (or say how).',
  }),
  'ssh:command': invokeChannel({
    request: SshTargetRequestSchema,
    response: SshCommandResponseSchema,
    summary: 'The `airlock ssh` command line for an instance, to copy.',
  }),
  'rdp:open': invokeChannel({
    request: SshTargetRequestSchema,
    response: RdpOpenResponseSchema,
    summary:
      "Forward a Windows instance's port 3389 to an automatic local port and open the RDP client on it.",
  }),
  'files:list': invokeChannel({
    request: FilesListRequestSchema,
    response: FilesListResponseSchema,
    summary: 'File transfers of this run: progress, results and errors.',
  }),
  'files:upload-start': invokeChannel({
    request: FilesUploadStartRequestSchema,
    response: FilesStartResponseSchema,
    summary:
      'Begin an upload of one file to an instance; its bytes follow in files:upload-chunk calls.',
  }),
  'files:upload-chunk': invokeChannel({
    request: FilesUploadChunkRequestSchema,
    response: FilesEmptyResponseSchema,
    summary:
      'The next bytes of an upload; resolves once they are stored, so the renderer sends one at a time.',
  }),
  'files:upload-end': invokeChannel({
    request: FilesIdRequestSchema,
    response: FilesEmptyResponseSchema,
    summary: 'All bytes are sent: main moves the file to the instance (files:changed follows).',
  }),
  'files:download': invokeChannel({
    request: FilesDownloadRequestSchema,
    response: FilesStartResponseSchema,
    summary:
      'Download a file from an instance into the Downloads folder under a name that is not taken.',
  }),
  'files:cancel': invokeChannel({
    request: FilesIdRequestSchema,
    response: FilesEmptyResponseSchema,
    summary: 'Cancel a transfer; nothing is left under the final name.',
  }),
  'files:replace': invokeChannel({
    request: FilesIdRequestSchema,
    response: FilesEmptyResponseSchema,
    summary: 'Run again an upload that stopped because the file exists, replacing it (confirmed).',
  }),
  'files:dismiss': invokeChannel({
    request: FilesIdRequestSchema,
    response: FilesEmptyResponseSchema,
    summary: 'Forget a finished transfer (and the bytes kept for a replace).',
  }),
  'files:show': invokeChannel({
    request: FilesIdRequestSchema,
    response: FilesEmptyResponseSchema,
    summary: "Show a downloaded file in the system's file manager (desktop app only).",
  }),
  'files:changed': eventChannel({
    payload: TransferViewSchema,
    summary: "One transfer's progress, result or error.",
  }),
  'sources:list': invokeChannel({
    request: SourcesListRequestSchema,
    response: SourcesStateSchema,
    summary: 'AWS profiles with kind, status and regions, and which ones are listed.',
  }),
  'sources:reload': invokeChannel({
    request: SourcesReloadRequestSchema,
    response: SourcesStateSchema,
    summary: 'Read the AWS config and credentials files again (after editing them).',
  }),
  'sources:select': invokeChannel({
    request: SourcesSelectRequestSchema,
    response: SourcesStateSchema,
    summary: 'Include or leave out a profile and choose its regions; persisted, inventory follows.',
  }),
  'sources:regions': invokeChannel({
    request: SourcesProfileRequestSchema,
    response: SourcesRegionsResponseSchema,
    summary:
      "Regions enabled for a profile's account (EC2 DescribeRegions), for the region picker.",
  }),
  'sources:check': invokeChannel({
    request: SourcesProfileRequestSchema,
    response: SourcesStateSchema,
    summary: "Resolve a profile's credentials now, asking for an MFA code if it needs one.",
  }),
  'sources:login': invokeChannel({
    request: SourcesLoginRequestSchema,
    response: SourcesStateSchema,
    summary:
      'IAM Identity Center login for a profile: opens the browser, resolves when approved; fails with cancelled after sources:login-cancel.',
  }),
  'sources:login-cancel': invokeChannel({
    request: SourcesProfileRequestSchema,
    response: SourcesLoginCancelResponseSchema,
    summary:
      "Cancel a profile's running Identity Center login: its loopback listener closes, nothing is cached.",
  }),
  'sources:mfa-answer': invokeChannel({
    request: SourcesMfaAnswerRequestSchema,
    response: EmptyResponseSchema,
    summary: 'The MFA code for a pending prompt, or no code to cancel it.',
  }),
  'sources:changed': eventChannel({
    payload: SourcesChangedEventSchema,
    summary: 'Profiles, selection or a status changed.',
  }),
  'sources:mfa-requested': eventChannel({
    payload: SourcesMfaRequestedEventSchema,
    summary: 'Main needs an MFA code for a profile; answer with sources:mfa-answer.',
  }),
  'sources:mfa-settled': eventChannel({
    payload: SourcesMfaSettledEventSchema,
    summary: 'An MFA prompt was answered, cancelled or timed out; close its dialog.',
  }),
  'sources:login-started': eventChannel({
    payload: SourcesLoginStartedEventSchema,
    summary: 'Identity Center login waits for approval in the browser; shows the code to check.',
  }),
  'sources:browser-login-started': eventChannel({
    payload: SourcesBrowserLoginStartedEventSchema,
    summary: 'Identity Center login waits for the sign-in page to send the user back to Airlock.',
  }),
  'sources:sandbox-sign-in-answer': invokeChannel({
    request: SourcesSandboxSignInAnswerRequestSchema,
    response: EmptyResponseSchema,
    summary: 'Approve or deny an Identity Center login waiting at the built-in Local sandbox.',
  }),
  'sources:sandbox-sign-in-requested': eventChannel({
    payload: SourcesSandboxSignInRequestedEventSchema,
    summary: 'An Identity Center login at the built-in sandbox waits for the user to approve it.',
  }),
  'sources:sandbox-sign-in-settled': eventChannel({
    payload: SourcesSandboxSignInSettledEventSchema,
    summary: 'A sandbox sign-in prompt was answered or timed out; close it.',
  }),
  'sources:sso-accounts': invokeChannel({
    request: SsoAccountsRequestSchema,
    response: SsoAccountsStateSchema,
    summary: 'Identity Center sessions, whether signed in, and the accounts and roles last listed.',
  }),
  'sources:sso-discover': invokeChannel({
    request: SsoSessionRequestSchema,
    response: SsoAccountsStateSchema,
    summary: "List a session's accounts and roles (ListAccounts, ListAccountRoles, every page).",
  }),
  'sources:sso-include': invokeChannel({
    request: SsoIncludeRequestSchema,
    response: SsoAccountsStateSchema,
    summary: 'Include or leave out account/role pairs as sources; persisted, no profile written.',
  }),
  'sources:sso-export-preview': invokeChannel({
    request: SsoExportRequestSchema,
    response: SsoExportPreviewSchema,
    summary: 'The profile section exporting a pair would add to the AWS config file.',
  }),
  'sources:sso-export': invokeChannel({
    request: SsoExportRequestSchema,
    response: SsoExportResponseSchema,
    summary: 'Add a pair to the AWS config file as a profile, never replacing one.',
  }),
  'sources:sso-changed': eventChannel({
    payload: SsoAccountsStateSchema,
    summary: 'Identity Center sessions, listings or included pairs changed.',
  }),
  'documents:list': invokeChannel({
    request: DocumentsListRequestSchema,
    response: DocumentsListResponseSchema,
    summary:
      'Session documents a terminal can start with: the shell, commands, own and shared ones.',
  }),
  'documents:preferences': invokeChannel({
    request: DocumentsPreferencesRequestSchema,
    response: DocumentsPreferencesResponseSchema,
    summary: "A region's Session Manager preferences: Run As, shell profile, KMS, logging, limits.",
  }),
  'sessions:start': invokeChannel({
    request: SessionsStartRequestSchema,
    response: SessionsStartResponseSchema,
    summary: 'Start a terminal session; status and output events for it only follow this result.',
  }),
  'sessions:input': invokeChannel({
    request: SessionsInputRequestSchema,
    response: EmptyResponseSchema,
    summary: 'Keystrokes or pasted bytes for a session (chunk large pastes).',
  }),
  'sessions:resize': invokeChannel({
    request: SessionsResizeRequestSchema,
    response: EmptyResponseSchema,
    summary: 'New terminal size; sent to the agent at once.',
  }),
  'sessions:ack': invokeChannel({
    request: SessionsAckRequestSchema,
    response: EmptyResponseSchema,
    summary: 'The renderer drew this many output bytes (in ~5,000-byte batches; flow control).',
  }),
  'sessions:close': invokeChannel({
    request: SessionsCloseRequestSchema,
    response: EmptyResponseSchema,
    summary: 'End the session (TerminateSession) and forget it.',
  }),
  'sessions:attachable': invokeChannel({
    request: SessionsAttachableRequestSchema,
    response: SessionsAttachableResponseSchema,
    summary: 'Live sessions whose page went away (browser-mode reload), for the new page to adopt.',
  }),
  'sessions:attach': invokeChannel({
    request: SessionsAttachRequestSchema,
    response: EmptyResponseSchema,
    summary: 'Adopt a session: its events come here now, starting with a snapshot of its screen.',
  }),
  'recordings:list': invokeChannel({
    request: RecordingsListRequestSchema,
    response: RecordingsListResponseSchema,
    summary: 'The local session recordings, newest first, and the folder they are in.',
  }),
  'recordings:read': invokeChannel({
    request: RecordingsIdRequestSchema,
    response: RecordingsReadResponseSchema,
    summary: 'One recording as asciicast v2 text, for playback and export.',
  }),
  'recordings:delete': invokeChannel({
    request: RecordingsIdRequestSchema,
    response: RecordingsDeleteResponseSchema,
    summary: 'Delete a recording (one being written stops first).',
  }),
  'recordings:changed': eventChannel({
    payload: RecordingsChangedEventSchema,
    summary: 'A recording started, grew past a mark, stopped or was deleted.',
  }),
  'sessions:list': invokeChannel({
    request: SessionsListRequestSchema,
    response: SessionsListResponseSchema,
    summary: 'Active and recent Session Manager sessions of every source (DescribeSessions).',
  }),
  'sessions:terminate': invokeChannel({
    request: SessionsTerminateRequestSchema,
    response: EmptyResponseSchema,
    summary: 'End any active session by its AWS SessionId, including ones started elsewhere.',
  }),
  'sessions:output': eventChannel({
    payload: SessionsOutputEventSchema,
    summary:
      'A batch of terminal output bytes (~16 ms or 64 KiB), or a snapshot of the whole terminal.',
  }),
  'sessions:status': eventChannel({
    payload: SessionsStatusEventSchema,
    summary: 'connecting | open | reconnecting | closed | error, with a reason when there is one.',
  }),
  'sessions:limits': eventChannel({
    payload: SessionsLimitsEventSchema,
    summary: "A session's preferences and when it will be cut (idle and maximum duration).",
  }),
  'settings:get': invokeChannel({
    request: SettingsGetRequestSchema,
    response: SettingsResponseSchema,
    summary: 'The persisted user settings.',
  }),
  'settings:set': invokeChannel({
    request: SettingsSetRequestSchema,
    response: SettingsResponseSchema,
    summary: 'Change some settings; returns the full, persisted settings.',
  }),
  'settings:changed': eventChannel({
    payload: SettingsChangedEventSchema,
    summary: 'Settings changed (from any window).',
  }),
  'forwards:list': invokeChannel({
    request: ForwardsListRequestSchema,
    response: ForwardsListResponseSchema,
    summary: 'Every port forward with its state and live stats.',
  }),
  'forwards:create': invokeChannel({
    request: ForwardsCreateRequestSchema,
    response: ForwardResponseSchema,
    summary:
      'Add a port forward, save it and start it; a bind beyond loopback needs allowAllInterfaces.',
  }),
  'forwards:update': invokeChannel({
    request: ForwardsUpdateRequestSchema,
    response: ForwardResponseSchema,
    summary: 'Change a forward; a running one restarts with the new settings.',
  }),
  'forwards:start': invokeChannel({
    request: ForwardsIdRequestSchema,
    response: ForwardResponseSchema,
    summary: 'Start a forward; resolves serving, or in state error with the reason.',
  }),
  'forwards:stop': invokeChannel({
    request: ForwardsIdRequestSchema,
    response: ForwardResponseSchema,
    summary: 'Stop a forward: close its listener, connections and sessions.',
  }),
  'forwards:delete': invokeChannel({
    request: ForwardsIdRequestSchema,
    response: ForwardsDeleteResponseSchema,
    summary: 'Stop and forget a forward.',
  }),
  'forwards:start-group': invokeChannel({
    request: ForwardsGroupRequestSchema,
    response: ForwardsListResponseSchema,
    summary: 'Start every forward of a group together.',
  }),
  'forwards:stop-group': invokeChannel({
    request: ForwardsGroupRequestSchema,
    response: ForwardsListResponseSchema,
    summary: 'Stop every forward of a group.',
  }),
  'forwards:set-group': invokeChannel({
    request: ForwardsGroupSettingsRequestSchema,
    response: ForwardsListResponseSchema,
    summary: "Change a group's saved settings (start on launch); returns the list.",
  }),
  'forwards:changed': eventChannel({
    payload: ForwardsChangedEventSchema,
    summary: 'The full forward list after a change (stats at most about once a second).',
  }),
  'profiles:list': invokeChannel({
    request: ProfilesListRequestSchema,
    response: ProfilesListResponseSchema,
    summary: 'Saved connection profiles, and whether the file is read-only or was repaired.',
  }),
  'profiles:save': invokeChannel({
    request: ProfilesSaveRequestSchema,
    response: ProfilesSaveResponseSchema,
    summary: 'Add a profile (no id) or replace one (its id); written atomically.',
  }),
  'profiles:delete': invokeChannel({
    request: ProfilesDeleteRequestSchema,
    response: ProfilesDeleteResponseSchema,
    summary: 'Remove a saved profile.',
  }),
  'profiles:import': invokeChannel({
    request: ProfilesImportRequestSchema,
    response: ProfilesImportResponseSchema,
    summary: 'Import profiles from exported JSON text; same ids are replaced.',
  }),
  'profiles:export': invokeChannel({
    request: ProfilesExportRequestSchema,
    response: ProfilesExportResponseSchema,
    summary: 'Export profiles (all, or the given ids) as JSON text.',
  }),
} as const satisfies Record<string, ChannelDef>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;

export type InvokeChannelName = {
  [K in ChannelName]: Channels[K]['kind'] extends 'invoke' ? K : never;
}[ChannelName];

export type EventChannelName = {
  [K in ChannelName]: Channels[K]['kind'] extends 'event' ? K : never;
}[ChannelName];

type InvokeDef<C extends InvokeChannelName> = Extract<Channels[C], { kind: 'invoke' }>;
type EventDef<E extends EventChannelName> = Extract<Channels[E], { kind: 'event' }>;

/** What a caller passes (plain strings where the handler later sees branded ids). */
export type RequestOf<C extends InvokeChannelName> = z.input<InvokeDef<C>['request']>;
/** What a handler receives: the parsed, branded request. */
export type ParsedRequestOf<C extends InvokeChannelName> = z.output<InvokeDef<C>['request']>;
/** What a handler returns (before main's schema pass strips unknown keys). */
export type ResponseInputOf<C extends InvokeChannelName> = z.input<InvokeDef<C>['response']>;
/** What a caller gets inside Ok. */
export type ResponseOf<C extends InvokeChannelName> = z.output<InvokeDef<C>['response']>;
/** What an event listener receives. */
export type EventOf<E extends EventChannelName> = z.output<EventDef<E>['payload']>;
/** What main emits for an event (before the schema pass). */
export type EventInputOf<E extends EventChannelName> = z.input<EventDef<E>['payload']>;

/** Sends an event to every renderer (or to one, by target id); what services get instead of the router. */
export type EmitEvent = <E extends EventChannelName>(
  channel: E,
  payload: EventInputOf<E>,
  target?: string,
) => void;

export const channelNames = Object.freeze(Object.keys(channels) as ChannelName[]);

export const invokeChannelNames = Object.freeze(
  channelNames.filter((name): name is InvokeChannelName => channels[name].kind === 'invoke'),
);

export const eventChannelNames = Object.freeze(
  channelNames.filter((name): name is EventChannelName => channels[name].kind === 'event'),
);

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

export function isInvokeChannelName(name: unknown): name is InvokeChannelName {
  return isChannelName(name) && channels[name].kind === 'invoke';
}

export function isEventChannelName(name: unknown): name is EventChannelName {
  return isChannelName(name) && channels[name].kind === 'event';
}
