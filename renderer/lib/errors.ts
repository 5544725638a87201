// The one mapping from error codes to the plain sentences the UI shows. Main's messages for people
// (an AWS refusal, a missing profile) are kept once cleaned of anything internal; codes whose
// messages are for developers (a closed socket, a bug) always read as a fixed sentence. The raw
// text stays available as `details`, shown only on demand.
import {
  ERROR_CODES,
  channelNames,
  type Api,
  type ErrorCode,
  type IpcError,
} from '../../shared/ipc';

/** Codes the renderer itself shows, beyond the IPC ones. */
export const RENDERER_ERROR_CODES = ['disconnected', 'sign-in-needed', 'unreachable'] as const;
export type RendererErrorCode = (typeof RENDERER_ERROR_CODES)[number];
export type ShownErrorCode = ErrorCode | RendererErrorCode;

export const SHOWN_ERROR_CODES: readonly ShownErrorCode[] = [
  ...ERROR_CODES,
  ...RENDERER_ERROR_CODES,
];

export const ERROR_SENTENCES: Readonly<Record<ShownErrorCode, string>> = {
  'invalid-request': 'Airlock could not accept that request; check the values entered.',
  'unknown-channel': 'This page and Airlock do not match; reload the page.',
  'forbidden-sender': 'Airlock refused a request that did not come from its own window.',
  'not-found': 'That no longer exists; refresh the list.',
  'aws-error': 'AWS refused the request.',
  credentials: 'The AWS profile has no usable credentials; sign in again under Sources.',
  'session-failed': 'The session could not be opened or was lost.',
  unavailable: 'Airlock is not reachable from this page right now.',
  cancelled: 'Cancelled.',
  internal: 'Something went wrong inside Airlock; the details are in its log.',
  disconnected: 'Disconnected from Airlock.',
  'sign-in-needed':
    'Airlock restarted and no longer knows this page: open the sign-in link it printed when it started (the one with ?token=).',
  unreachable:
    'Airlock is not running at this address. Start it again (npm start -- --browser), then open the sign-in link it prints.',
};

/**
 * Codes whose messages are written for developers (socket states, channel names), never shown as
 * they are. 'internal' messages are generic by contract (details stay in main's log), so they show.
 */
const DEVELOPER_MESSAGES: ReadonlySet<ShownErrorCode> = new Set([
  'unknown-channel',
  'forbidden-sender',
  'unavailable',
  'disconnected',
  'sign-in-needed',
  'unreachable',
]);

export interface PlainError {
  readonly code: ShownErrorCode;
  /** A plain sentence for people. */
  readonly text: string;
  /** The original message, for "Details". */
  readonly details: string | undefined;
}

const CHANNEL_PREFIX = new RegExp(
  `^(?:${channelNames.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\s*:\\s*`,
);
const INTERNAL_MARKS: readonly RegExp[] = [
  /\[object \w+\]/,
  /\bclosed?\b[^.]*\(\s*\d{4}/i,
  /\b(?:code|status)\s*1\d{3}\b/i,
  /\bundefined\b|\bnull\b/,
  /\b\w+Error:/,
];

function mentionsChannel(text: string): boolean {
  return channelNames.some((name) => text.includes(name));
}

/** Main's message made fit to show, or undefined when it carries anything internal. */
function cleaned(message: string): string | undefined {
  let text = message.split(/\n\s*at\s/)[0] ?? '';
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(CHANNEL_PREFIX, '').trim();
  }
  if (text.length === 0 || mentionsChannel(text)) return undefined;
  return INTERNAL_MARKS.some((mark) => mark.test(text)) ? undefined : text;
}

export function plainError(error: {
  readonly code: ShownErrorCode;
  readonly message?: string;
}): PlainError {
  const details = error.message !== undefined && error.message !== '' ? error.message : undefined;
  const fallback = ERROR_SENTENCES[error.code];
  const text =
    DEVELOPER_MESSAGES.has(error.code) || details === undefined
      ? fallback
      : (cleaned(details) ?? fallback);
  return { code: error.code, text, details };
}

/** An IpcError whose message is the plain sentence; the original is kept as `details`. */
export function plainIpcError(error: IpcError): IpcError {
  const plain = plainError(error);
  return plain.details === undefined || plain.details === plain.text
    ? { code: error.code, message: plain.text }
    : { code: error.code, message: plain.text, details: plain.details };
}

/** The same Api, with every failure's message turned into its plain sentence. */
export function withPlainErrors(api: Api): Api {
  return {
    async invoke(channel, request) {
      const result = await api.invoke(channel, request);
      return result.ok ? result : { ok: false, error: plainIpcError(result.error) };
    },
    on: (channel, listener) => api.on(channel, listener),
  };
}
