// Every Session document a caller of the sandbox can see in one region: AWS's own (Owner Amazon),
// the account's own (its Session Manager preferences and a YAML-authored command document) and one
// another account shared with it, each kept as its author wrote it (JSON or YAML).

import { SESSION_DOCUMENTS, type DocumentParameter, type SessionDocument } from './documents';
import { isObject, type JsonObject } from './input';
import {
  PREFERENCES_DOCUMENT,
  preferencesContent,
  type SandboxPreferences,
} from './session-preferences';
import { parseYamlSubset } from './yaml-subset';
import type { SessionType } from '../registry';

export type DocumentFormat = 'JSON' | 'YAML';

export interface CatalogDocument {
  /** What ListDocuments shows: the name, or the ARN for a document another account shared. */
  readonly listedName: string;
  /** 'Amazon' or the owning account's id. */
  readonly owner: string;
  readonly format: DocumentFormat;
  /** The content as its author wrote it. */
  readonly content: string;
  /** Epoch milliseconds. */
  readonly createdDate: number;
  /** The content read: session type, parameters, properties. */
  readonly document: SessionDocument;
  readonly properties?: JsonObject;
}

/** AWS publishes its Session documents once; fixed dates keep answers stable. */
const AMAZON_CREATED = Date.UTC(2019, 6, 30);
const ACCOUNT_CREATED = Date.UTC(2025, 2, 14);

/** The account that shares a document with every sandbox account (it has no keys of its own). */
export const SHARING_ACCOUNT_ID = '444455556666';

/** The YAML-authored document every sandbox account owns. */
export const OWN_YAML_DOCUMENT = 'Airlock-DiskUsage';
/** The document SHARING_ACCOUNT_ID shares with every sandbox account. */
export const SHARED_DOCUMENT = 'Team-ListProcesses';

const OWN_YAML_CONTENT = `schemaVersion: '1.0'
description: Shows how full the file systems are (written in YAML)
sessionType: InteractiveCommands
parameters:
  path:
    type: String
    description: The directory whose file system to show
    default: /
    allowedPattern: ^/[A-Za-z0-9_./-]{0,200}$
properties:
  linux:
    commands: df -h {{ path }}
    runAsElevated: false
  macos:
    commands: df -h {{ path }}
    runAsElevated: false
`;

const SHARED_CONTENT = JSON.stringify(
  {
    schemaVersion: '1.0',
    description: 'Lists the processes using the most CPU (shared by the platform team)',
    sessionType: 'InteractiveCommands',
    parameters: {
      count: {
        type: 'String',
        description: 'How many processes to list',
        default: '10',
        allowedPattern: '^[0-9]{1,3}$',
      },
    },
    properties: {
      linux: { commands: 'ps -A -o pid,pcpu,comm | head -n {{ count }}', runAsElevated: false },
      macos: { commands: 'ps -A -o pid,pcpu,comm | head -n {{ count }}', runAsElevated: false },
    },
  },
  null,
  2,
);

/** What the document's content says beyond its parameters (datachannel/README.md §9). */
function amazonProperties(name: string): JsonObject | undefined {
  switch (name) {
    case 'AWS-StartPortForwardingSession':
      return {
        portNumber: '{{ portNumber }}',
        type: 'LocalPortForwarding',
        localPortNumber: '{{ localPortNumber }}',
      };
    case 'AWS-StartPortForwardingSessionToRemoteHost':
      return {
        portNumber: '{{ portNumber }}',
        type: 'LocalPortForwarding',
        localPortNumber: '{{ localPortNumber }}',
        host: '{{ host }}',
      };
    case 'AWS-StartSSHSession':
      return { portNumber: '{{ portNumber }}' };
    case 'AWS-StartInteractiveCommand':
    case 'AWS-StartNonInteractiveCommand':
      return {
        linux: { commands: '{{ command }}', runAsElevated: false },
        windows: { commands: '{{ command }}', runAsElevated: false },
      };
    default:
      return undefined;
  }
}

/** An AWS document as AWS wrote it (schema 1.0 Session document, JSON). */
function amazonContent(document: SessionDocument): JsonObject {
  const parameters: JsonObject = {};
  for (const [name, parameter] of Object.entries(document.parameters)) {
    parameters[name] = {
      type: 'String',
      description: parameter.description,
      ...(parameter.pattern && { allowedPattern: parameter.pattern.source }),
      ...(parameter.default !== undefined && { default: parameter.default }),
    };
  }
  const properties = amazonProperties(document.name);
  return {
    schemaVersion: '1.0',
    description: document.description,
    sessionType: document.sessionType,
    parameters,
    ...(properties && { properties }),
  };
}

const AMAZON_DOCUMENTS: readonly CatalogDocument[] = Object.values(SESSION_DOCUMENTS).map(
  (document) => {
    const properties = amazonProperties(document.name);
    return {
      listedName: document.name,
      owner: 'Amazon',
      format: 'JSON',
      content: JSON.stringify(amazonContent(document), null, 2),
      createdDate: AMAZON_CREATED,
      document,
      ...(properties && { properties }),
    };
  },
);

const SESSION_TYPES: readonly SessionType[] = [
  'Standard_Stream',
  'Port',
  'InteractiveCommands',
  'NonInteractiveCommands',
];

/** The content as a JSON value, whichever format it was written in. */
export function contentValue(entry: Pick<CatalogDocument, 'format' | 'content'>): JsonObject {
  const value: unknown =
    entry.format === 'YAML' ? parseYamlSubset(entry.content) : JSON.parse(entry.content);
  if (!isObject(value)) throw new Error('a Session document is a mapping');
  return value;
}

/** Reads an account's document the way SSM validates it when it is created. */
function accountDocument(
  name: string,
  owner: string,
  listedName: string,
  format: DocumentFormat,
  content: string,
): CatalogDocument {
  const value = contentValue({ format, content });
  const sessionType = SESSION_TYPES.find((type) => type === value.sessionType);
  if (!sessionType) throw new Error(`${name}: not a Session document`);
  const parameters: Record<string, DocumentParameter> = {};
  for (const [key, spec] of Object.entries(isObject(value.parameters) ? value.parameters : {})) {
    const s = isObject(spec) ? spec : {};
    parameters[key] = {
      description: typeof s.description === 'string' ? s.description : '',
      ...(typeof s.default === 'string' && { default: s.default }),
      ...(typeof s.allowedPattern === 'string' && { pattern: new RegExp(s.allowedPattern) }),
    };
  }
  const properties = isObject(value.properties) ? value.properties : undefined;
  return {
    listedName,
    owner,
    format,
    content,
    createdDate: ACCOUNT_CREATED,
    document: {
      name,
      description: typeof value.description === 'string' ? value.description : '',
      sessionType,
      parameters,
      ...(isObject(value.inputs) && { inputs: value.inputs }),
    },
    ...(properties && { properties }),
  };
}

export function documentArn(region: string, owner: string, name: string): string {
  return `arn:aws:ssm:${region}:${owner === 'Amazon' ? '' : owner}:document/${name}`;
}

/** The documents a caller of `accountId` sees in `region`, in code-point order of listed name. */
export function catalogFor(
  accountId: string,
  region: string,
  preferences: SandboxPreferences,
): CatalogDocument[] {
  const own: CatalogDocument[] = [
    accountDocument(OWN_YAML_DOCUMENT, accountId, OWN_YAML_DOCUMENT, 'YAML', OWN_YAML_CONTENT),
  ];
  const inputs = preferences.inputs(region);
  if (inputs !== undefined) {
    const content = preferencesContent(inputs);
    own.push(
      accountDocument(PREFERENCES_DOCUMENT, accountId, PREFERENCES_DOCUMENT, 'JSON', content),
    );
  }
  const shared = accountDocument(
    SHARED_DOCUMENT,
    SHARING_ACCOUNT_ID,
    documentArn(region, SHARING_ACCOUNT_ID, SHARED_DOCUMENT),
    'JSON',
    SHARED_CONTENT,
  );
  return [...AMAZON_DOCUMENTS, ...own, shared].sort((a, b) =>
    a.listedName < b.listedName ? -1 : a.listedName > b.listedName ? 1 : 0,
  );
}

/**
 * The document a name or ARN refers to, as SSM resolves it: a bare name finds AWS's and the
 * account's own documents; another account's document needs its ARN.
 */
export function findInCatalog(
  catalog: readonly CatalogDocument[],
  name: string,
  accountId: string,
  region: string,
): CatalogDocument | undefined {
  const arn = /^arn:aws[a-z-]*:ssm:([a-z0-9-]*):([0-9]*):document\/(.+)$/.exec(name);
  if (!arn) {
    return catalog.find(
      (entry) =>
        entry.document.name === name && (entry.owner === 'Amazon' || entry.owner === accountId),
    );
  }
  const [, arnRegion, arnOwner, bare] = arn;
  if (arnRegion !== '' && arnRegion !== region) return undefined;
  return catalog.find(
    (entry) =>
      entry.document.name === bare &&
      (entry.owner === 'Amazon' ? arnOwner === '' : entry.owner === arnOwner),
  );
}

/** `{{ name }}` placeholders replaced by the session's parameter values. */
export function substitute(template: string, inputs: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, key: string) =>
    Object.hasOwn(inputs, key) ? (inputs[key] ?? '') : whole,
  );
}
