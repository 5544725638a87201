// SSM operations (JSON 1.1, X-Amz-Target AmazonSSM.*): instance inventory and Session Manager sessions.

import { LATEST_AGENT_VERSION, PING_STATUSES, PLATFORM_TYPES, type FleetInstance } from '../fleet';
import { SESSION_STATUSES, type SessionRecord } from '../registry';
import { epochSeconds, type CallContext, type JsonOperation } from './context';
import { DOCUMENT_OPERATIONS } from './document-operations';
import { catalogFor, findInCatalog, substitute, type CatalogDocument } from './document-catalog';
import { PLAIN_SHELL, resolveParameters } from './documents';
import { isObject } from './input';
import { limitsOf, PREFERENCES_DOCUMENT } from './session-preferences';
import { ssmError } from './errors';
import { InputReader, type JsonObject } from './input';
import { decodeNextToken, encodeNextToken, paginate, queryFingerprint } from './pagination';
import { cachedMatches, matchPositions, scopePage } from './scope-pages';

const INSTANCE_ID = /^(i-[0-9a-f]{8}([0-9a-f]{9})?|mi-[0-9a-f]{17})$/;

const INFO_FILTER_KEYS = [
  'InstanceIds',
  'AgentVersion',
  'PingStatus',
  'PlatformTypes',
  'ActivationIds',
  'IamRole',
  'ResourceType',
  'AssociationStatus',
] as const;

type InstancePredicate = (instance: FleetInstance) => boolean;

function activationIdOf(instance: FleetInstance): string {
  return instance.resourceType === 'ManagedInstance'
    ? `${instance.instanceId.slice(3, 11)}-0000-4000-8000-${instance.instanceId.slice(8, 20)}`
    : '';
}

function iamRoleOf(instance: FleetInstance): string {
  return instance.resourceType === 'ManagedInstance'
    ? 'service-role/AirlockSandboxManagedInstanceRole'
    : '';
}

/** One filter key with its values, from either filter list; values are ORed, filters ANDed. */
function predicateFor(key: string, values: readonly string[]): InstancePredicate {
  const set = new Set(values);
  const invalid = (kind: string, allowed: readonly string[]): never => {
    const bad = values.find((v) => !allowed.includes(v)) ?? '';
    throw ssmError(
      'InvalidInstanceInformationFilterValue',
      `The filter value '${bad}' is not valid for ${kind}. Valid values: ${allowed.join(', ')}.`,
    );
  };
  switch (key) {
    case 'InstanceIds': {
      const bad = values.find((v) => !INSTANCE_ID.test(v));
      if (bad !== undefined)
        throw ssmError('InvalidInstanceId', `Instance id ${bad} is not valid.`);
      return (i) => set.has(i.instanceId);
    }
    case 'PingStatus':
      if (values.some((v) => !(PING_STATUSES as readonly string[]).includes(v))) {
        invalid('PingStatus', PING_STATUSES);
      }
      return (i) => set.has(i.pingStatus);
    case 'PlatformTypes':
      if (values.some((v) => !(PLATFORM_TYPES as readonly string[]).includes(v))) {
        invalid('PlatformTypes', PLATFORM_TYPES);
      }
      return (i) => set.has(i.platform);
    case 'ResourceType':
      if (values.some((v) => v !== 'EC2Instance' && v !== 'ManagedInstance')) {
        invalid('ResourceType', ['EC2Instance', 'ManagedInstance']);
      }
      return (i) => set.has(i.resourceType);
    case 'AgentVersion':
      return (i) => set.has(i.agentVersion);
    case 'AssociationStatus':
      return () => set.has('Success');
    case 'ActivationIds':
      return (i) => set.has(activationIdOf(i));
    case 'IamRole':
      return (i) => set.has(iamRoleOf(i));
    default:
      break;
  }
  if (key === 'tag-key') return (i) => values.some((v) => Object.hasOwn(i.tags, v));
  if (key.startsWith('tag:') && key.length > 4) {
    const tag = key.slice(4);
    return (i) => Object.hasOwn(i.tags, tag) && set.has(i.tags[tag] ?? '');
  }
  throw ssmError('InvalidFilterKey', `The filter key ${key} is not valid.`);
}

function instanceInformation(instance: FleetInstance): JsonObject {
  const managed = instance.resourceType === 'ManagedInstance';
  const info: JsonObject = {
    InstanceId: instance.instanceId,
    PingStatus: instance.pingStatus,
    LastPingDateTime: epochSeconds(instance.lastPing),
    AgentVersion: instance.agentVersion,
    IsLatestVersion: instance.agentVersion === LATEST_AGENT_VERSION,
    PlatformType: instance.platform,
    PlatformName: instance.platformName,
    PlatformVersion: instance.platformVersion,
    ResourceType: instance.resourceType,
    IPAddress: instance.ipAddress,
    ComputerName: instance.computerName,
    AssociationStatus: 'Success',
    LastAssociationExecutionDate: epochSeconds(instance.lastPing),
    LastSuccessfulAssociationExecutionDate: epochSeconds(instance.lastPing),
    SourceId: instance.instanceId,
    SourceType: managed ? 'AWS::SSM::ManagedInstance' : 'AWS::EC2::Instance',
  };
  if (managed) {
    // Only on-premises nodes have a registration name, role and activation.
    if (instance.name !== '') info.Name = instance.name;
    info.IamRole = iamRoleOf(instance);
    info.ActivationId = activationIdOf(instance);
    info.RegistrationDate = epochSeconds(instance.launchTime);
  }
  return info;
}

/** A filter's value list: required, 1 to 100 strings. */
function requiredValues(
  reader: InputReader,
  item: JsonObject,
  member: string,
  path: string,
): string[] {
  const values = reader.list(
    member,
    (v, p) => reader.checkRequiredString(v, p),
    { min: 1, max: 100 },
    item,
    `${path}.`,
  );
  if (values === undefined) reader.checkRequiredString(undefined, `${path}.${member}`);
  return values ?? [];
}

const describeInstanceInformation: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const maxResults = reader.integer('MaxResults', { min: 5, max: 50 });
  const nextToken = reader.string('NextToken');
  const predicates: InstancePredicate[] = [];
  const legacy = reader.list(
    'InstanceInformationFilterList',
    (value, path) => {
      const item = reader.object(value, path);
      const key = reader.checkRequiredString(item.key, `${path}.key`, { oneOf: INFO_FILTER_KEYS });
      const values = requiredValues(reader, item, 'valueSet', path);
      return { key, values };
    },
    { min: 0 },
  );
  const filters = reader.list('Filters', (value, path) => {
    const item = reader.object(value, path);
    const key = reader.checkRequiredString(item.Key, `${path}.Key`, { min: 1, max: 255 });
    const values = requiredValues(reader, item, 'Values', path);
    return { key, values };
  });
  reader.done();
  if (legacy && legacy.length > 0 && filters && filters.length > 0) {
    throw ssmError(
      'ValidationException',
      'Specify either InstanceInformationFilterList or Filters, not both.',
    );
  }
  for (const { key, values } of [...(legacy ?? []), ...(filters ?? [])]) {
    predicates.push(predicateFor(key, values));
  }
  const fingerprint = queryFingerprint([
    'DescribeInstanceInformation',
    call.principal.accountId,
    call.region,
    legacy,
    filters,
  ]);
  const from = nextToken === undefined ? 0 : decodeNextToken(nextToken, fingerprint);
  if (from === undefined) throw ssmError('InvalidNextToken', "The specified token isn't valid.");
  const scope = deps.fleet.list(call.principal.accountId, call.region);
  const matches =
    predicates.length === 0
      ? undefined
      : cachedMatches(deps.fleet, fingerprint, () =>
          matchPositions(scope, (instance) => predicates.every((p) => p(instance))),
        );
  const page = scopePage(scope, matches, from, maxResults ?? 10);
  const out: JsonObject = { InstanceInformationList: page.items.map(instanceInformation) };
  if (page.resumeAt !== undefined) out.NextToken = encodeNextToken(page.resumeAt, fingerprint);
  return out;
};

/** The platform key of a command document's properties (`linux`, `windows`, `macos`). */
const PLATFORM_KEYS: Readonly<Record<FleetInstance['platform'], string>> = {
  Linux: 'linux',
  Windows: 'windows',
  MacOS: 'macos',
};

/** The command a command document runs on the instance's platform, parameters substituted. */
function commandsFor(
  entry: CatalogDocument | undefined,
  instance: FleetInstance,
  inputs: Readonly<Record<string, string>>,
): string | undefined {
  const platform = entry?.properties?.[PLATFORM_KEYS[instance.platform]];
  if (!isObject(platform) || typeof platform.commands !== 'string') return undefined;
  return substitute(platform.commands, inputs);
}

const startSession: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const target = reader.requiredString('Target', { min: 1, max: 400 });
  const documentName = reader.string('DocumentName', { pattern: /^[a-zA-Z0-9_\-.:/]{3,128}$/ });
  const reason = reader.string('Reason', { min: 1, max: 256 });
  const parameters = reader.stringListMap('Parameters') ?? {};
  reader.done();
  const instance = deps.fleet.find(call.principal.accountId, call.region, target);
  if (!instance) {
    throw ssmError('InvalidTarget', `${target} is not a valid target in this account and region.`);
  }
  const catalog = catalogFor(call.principal.accountId, call.region, deps.preferences);
  // No DocumentName: the region's preferences document when there is one, else a plain shell.
  const entry = findInCatalog(
    catalog,
    documentName ?? PLAIN_SHELL.name,
    call.principal.accountId,
    call.region,
  );
  if (documentName !== undefined && !entry) {
    throw ssmError('InvalidDocument', `Document with name ${documentName} does not exist.`);
  }
  const document = entry?.document ?? PLAIN_SHELL;
  const resolved = resolveParameters(document, parameters);
  const commands = commandsFor(entry, instance, resolved);
  const inputs = commands === undefined ? resolved : { ...resolved, commands };
  if (instance.pingStatus !== 'Online') {
    throw ssmError('TargetNotConnected', `${target} is not connected.`);
  }
  // A shell document of the account's carries its own settings; every other session gets the region's.
  const limits =
    document.inputs !== undefined && document.name !== PREFERENCES_DOCUMENT
      ? limitsOf(document.inputs)
      : deps.preferences.limits(call.region);
  const created = deps.registry.create({
    target,
    documentName: document.name,
    sessionType: document.sessionType,
    parameters,
    inputs,
    owner: call.principal.arn,
    callerName: call.principal.name,
    accountId: call.principal.accountId,
    region: call.region,
    ...(reason !== undefined && { reason }),
    ...(limits.kmsKeyId !== undefined && { kmsKeyId: limits.kmsKeyId }),
    ...(limits.idleTimeoutMs !== undefined && { idleTimeoutMs: limits.idleTimeoutMs }),
    ...(limits.maxDurationMs !== undefined && { maxDurationMs: limits.maxDurationMs }),
  });
  return {
    SessionId: created.sessionId,
    TokenValue: created.tokenValue,
    StreamUrl: created.streamUrl,
  };
};

/** A session of the caller's account and region, or undefined (other accounts' sessions are invisible). */
function ownSession(call: CallContext, sessionId: string, deps: Parameters<JsonOperation>[2]) {
  const record = deps.registry.get(sessionId);
  return record && record.accountId === call.principal.accountId && record.region === call.region
    ? record
    : undefined;
}

const SESSION_ID = { min: 1, max: 96 };

const resumeSession: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const sessionId = reader.requiredString('SessionId', SESSION_ID);
  reader.done();
  const record = ownSession(call, sessionId, deps);
  if (!record)
    throw ssmError('DoesNotExistException', `Session with id ${sessionId} does not exist.`);
  // An ended session answers with an empty token: the client then reports "timed out" (datachannel/README.md §7.3).
  const token = deps.registry.resume(sessionId) ?? '';
  return { SessionId: sessionId, TokenValue: token, StreamUrl: record.streamUrl };
};

const terminateSession: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const sessionId = reader.requiredString('SessionId', SESSION_ID);
  reader.done();
  // Idempotent, as in SSM: an unknown or ended session is not an error.
  if (ownSession(call, sessionId, deps)) deps.registry.terminate(sessionId, 'api');
  return { SessionId: sessionId };
};

const SESSION_FILTER_KEYS = [
  'InvokedAfter',
  'InvokedBefore',
  'Target',
  'Owner',
  'Status',
  'SessionId',
  'AccessType',
] as const;

function sessionPredicate(key: string, value: string): (record: SessionRecord) => boolean {
  switch (key) {
    case 'InvokedAfter':
    case 'InvokedBefore': {
      const at = Date.parse(value);
      if (Number.isNaN(at)) {
        throw ssmError(
          'ValidationException',
          `The filter value ${value} for ${key} is not a date such as 2024-08-29T00:00:00Z.`,
        );
      }
      return key === 'InvokedAfter' ? (r) => r.startDate >= at : (r) => r.startDate <= at;
    }
    case 'Target':
      return (r) => r.target === value;
    case 'Owner':
      return (r) => r.owner === value;
    case 'SessionId':
      return (r) => r.sessionId === value;
    case 'AccessType':
      return () => value === 'Standard';
    default:
      if (!(SESSION_STATUSES as readonly string[]).includes(value)) {
        throw ssmError(
          'ValidationException',
          `The filter value ${value} for Status is not valid. Valid values: ${SESSION_STATUSES.join(', ')}.`,
        );
      }
      return (r) => r.status === value;
  }
}

function sessionItem(record: SessionRecord): JsonObject {
  const item: JsonObject = {
    SessionId: record.sessionId,
    Target: record.target,
    Status: record.status,
    StartDate: epochSeconds(record.startDate),
    DocumentName: record.documentName,
    Owner: record.owner,
    AccessType: 'Standard',
  };
  if (record.endDate !== undefined) item.EndDate = epochSeconds(record.endDate);
  if (record.reason !== undefined) item.Reason = record.reason;
  if (record.details !== undefined) item.Details = record.details;
  if (record.maxDurationMs !== undefined) {
    item.MaxSessionDuration = String(Math.round(record.maxDurationMs / 60_000));
  }
  return item;
}

const describeSessions: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const state = reader.requiredString('State', { oneOf: ['Active', 'History'] });
  const maxResults = reader.integer('MaxResults', { min: 1, max: 200 });
  const nextToken = reader.string('NextToken');
  const filters =
    reader.list(
      'Filters',
      (value, path) => {
        const item = reader.object(value, path);
        const key = reader.checkRequiredString(item.key, `${path}.key`, {
          oneOf: SESSION_FILTER_KEYS,
        });
        const filterValue = reader.checkRequiredString(item.value, `${path}.value`, {
          min: 1,
          max: 400,
        });
        return { key, value: filterValue };
      },
      { min: 1, max: 6 },
    ) ?? [];
  reader.done();
  const predicates = filters.map(({ key, value }) => sessionPredicate(key, value));
  const fingerprint = queryFingerprint([
    'DescribeSessions',
    call.principal.accountId,
    call.region,
    state,
    filters,
  ]);
  const offset = nextToken === undefined ? 0 : decodeNextToken(nextToken, fingerprint);
  if (offset === undefined) throw ssmError('InvalidNextToken', "The specified token isn't valid.");
  const sessions = deps.registry
    .list({
      state: state === 'History' ? 'History' : 'Active',
      accountId: call.principal.accountId,
      region: call.region,
    })
    .filter((record) => predicates.every((p) => p(record)));
  const page = paginate(sessions, offset, maxResults ?? 20, fingerprint);
  const out: JsonObject = { Sessions: page.items.map(sessionItem) };
  if (page.nextToken !== undefined) out.NextToken = page.nextToken;
  return out;
};

const getConnectionStatus: JsonOperation = (input, call, deps) => {
  const reader = new InputReader(input);
  const target = reader.requiredString('Target', { min: 1, max: 400 });
  reader.done();
  const instance = deps.fleet.find(call.principal.accountId, call.region, target);
  return {
    Target: target,
    Status: instance?.pingStatus === 'Online' ? 'connected' : 'notconnected',
  };
};

export const SSM_OPERATIONS: Readonly<Record<string, JsonOperation>> = {
  DescribeInstanceInformation: describeInstanceInformation,
  StartSession: startSession,
  ResumeSession: resumeSession,
  TerminateSession: terminateSession,
  DescribeSessions: describeSessions,
  GetConnectionStatus: getConnectionStatus,
  ...DOCUMENT_OPERATIONS,
};
