// SSM document operations for the sandbox's Session documents: ListDocuments (filters, pagination),
// DescribeDocument and GetDocument, with the shapes and errors the AWS CLI and SDKs expect.

import { createHash } from 'node:crypto';
import { epochSeconds, type JsonOperation } from './context';
import { SESSION_DOCUMENTS, findSessionDocument, type SessionDocument } from './documents';
import { ssmError } from './errors';
import { InputReader, type JsonObject } from './input';
import { decodeNextToken, paginate, queryFingerprint } from './pagination';

/** AWS publishes its Session documents once; a fixed date keeps answers stable. */
const CREATED_DATE = Date.UTC(2019, 6, 30);
const PLATFORM_TYPES = ['Windows', 'Linux', 'MacOS'];
const DOCUMENT_NAME = { pattern: /^[a-zA-Z0-9_\-.:/]{3,200}$/ };
const DOCUMENT_VERSION = { pattern: /^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$/ };

/** What the document's content says beyond its parameters (datachannel/README.md §9). */
function propertiesOf(document: SessionDocument): JsonObject | undefined {
  switch (document.name) {
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

/** The document as its author wrote it (schema 1.0 Session document). */
function contentOf(document: SessionDocument): JsonObject {
  const parameters: JsonObject = {};
  for (const [name, parameter] of Object.entries(document.parameters)) {
    parameters[name] = {
      type: 'String',
      description: parameter.description,
      ...(parameter.pattern && { allowedPattern: parameter.pattern.source }),
      ...(parameter.default !== undefined && { default: parameter.default }),
    };
  }
  const properties = propertiesOf(document);
  return {
    schemaVersion: '1.0',
    description: document.description,
    sessionType: document.sessionType,
    ...(document.sessionType === 'Standard_Stream'
      ? { inputs: { idleSessionTimeout: '20', runAsEnabled: false } }
      : { parameters }),
    ...(properties && { properties }),
  };
}

function contentText(document: SessionDocument): string {
  return JSON.stringify(contentOf(document), null, 2);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The owner filters an AWS-owned public document matches. */
const AMAZON_OWNER_VALUES = new Set(['Amazon', 'Public', 'All']);
const OWNER_VALUES = ['Self', 'Amazon', 'Public', 'Private', 'ThirdParty', 'All'];

type DocumentPredicate = (document: SessionDocument) => boolean;

/** One filter of either list; values are ORed, filters ANDed. */
function documentPredicate(key: string, values: readonly string[]): DocumentPredicate {
  switch (key) {
    case 'Name':
      // Matches names that begin with a value, as the service does.
      return (d) => values.some((v) => d.name.startsWith(v));
    case 'Owner': {
      const bad = values.find((v) => !OWNER_VALUES.includes(v));
      if (bad !== undefined) {
        throw ssmError(
          'ValidationException',
          `Invalid value ${bad} for filter key Owner. Valid values: ${OWNER_VALUES.join(', ')}.`,
        );
      }
      return () => values.some((v) => AMAZON_OWNER_VALUES.has(v));
    }
    case 'PlatformTypes':
      return () => values.some((v) => PLATFORM_TYPES.includes(v));
    case 'DocumentType':
      return () => values.includes('Session');
    case 'SearchKeyword':
      return (d) =>
        values.some((v) => `${d.name} ${d.description}`.toLowerCase().includes(v.toLowerCase()));
    default:
      // No sandbox document has tags.
      if (key === 'tag-key' || (key.startsWith('tag:') && key.length > 4)) return () => false;
      throw ssmError('InvalidFilterKey', `The filter key ${key} is not valid.`);
  }
}

function identifier(document: SessionDocument): JsonObject {
  return {
    Name: document.name,
    CreatedDate: epochSeconds(CREATED_DATE),
    Owner: 'Amazon',
    PlatformTypes: PLATFORM_TYPES,
    DocumentVersion: '1',
    DocumentType: 'Session',
    SchemaVersion: '1.0',
    DocumentFormat: 'JSON',
    Tags: [],
  };
}

const listDocuments: JsonOperation = (input, call) => {
  const reader = new InputReader(input);
  const maxResults = reader.integer('MaxResults', { min: 1, max: 50 });
  const nextToken = reader.string('NextToken');
  const legacy = reader.list(
    'DocumentFilterList',
    (value, path) => {
      const item = reader.object(value, path);
      const key = reader.checkRequiredString(item.key, `${path}.key`, {
        oneOf: ['Name', 'Owner', 'PlatformTypes', 'DocumentType'],
      });
      const filterValue = reader.checkRequiredString(item.value, `${path}.value`, { min: 1 });
      return { key, values: [filterValue] };
    },
    { min: 1 },
  );
  const filters = reader.list(
    'Filters',
    (value, path) => {
      const item = reader.object(value, path);
      const key = reader.checkRequiredString(item.Key, `${path}.Key`, { min: 1, max: 128 });
      const values =
        reader.list(
          'Values',
          (v, p) => reader.checkRequiredString(v, p, { min: 1, max: 256 }),
          { min: 1, max: 20 },
          item,
          `${path}.`,
        ) ?? [];
      return { key, values };
    },
    { max: 6 },
  );
  reader.done();
  if (legacy && filters) {
    throw ssmError(
      'ValidationException',
      'Specify either DocumentFilterList or Filters, not both.',
    );
  }
  const predicates = [...(legacy ?? []), ...(filters ?? [])].map(({ key, values }) =>
    documentPredicate(key, values),
  );
  const fingerprint = queryFingerprint([
    'ListDocuments',
    call.principal.accountId,
    call.region,
    legacy,
    filters,
  ]);
  const offset = nextToken === undefined ? 0 : decodeNextToken(nextToken, fingerprint);
  if (offset === undefined) throw ssmError('InvalidNextToken', "The specified token isn't valid.");
  const matches = Object.values(SESSION_DOCUMENTS)
    .filter((document) => predicates.every((p) => p(document)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(matches, offset, maxResults ?? 50, fingerprint);
  const out: JsonObject = { DocumentIdentifiers: page.items.map(identifier) };
  if (page.nextToken !== undefined) out.NextToken = page.nextToken;
  return out;
};

/** The named document at a version that exists (only version 1 does), or the service's error. */
function readDocument(reader: InputReader): SessionDocument {
  const name = reader.requiredString('Name', DOCUMENT_NAME);
  const version = reader.string('DocumentVersion', DOCUMENT_VERSION);
  const versionName = reader.string('VersionName', { min: 1, max: 128 });
  return checkedDocument(name, version, versionName, reader);
}

function checkedDocument(
  name: string,
  version: string | undefined,
  versionName: string | undefined,
  reader: InputReader,
): SessionDocument {
  reader.done();
  // Document ARNs name AWS documents as arn:aws:ssm:<region>::document/<name>.
  const bare = name.includes(':document/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  const document = findSessionDocument(bare);
  if (!document) throw ssmError('InvalidDocument', `Document with name ${name} does not exist.`);
  if (version !== undefined && !['1', '$LATEST', '$DEFAULT'].includes(version)) {
    throw ssmError(
      'InvalidDocumentVersion',
      'The document version is not valid or does not exist.',
    );
  }
  if (versionName !== undefined) {
    throw ssmError(
      'InvalidDocument',
      `Document with name ${name} and version name ${versionName} does not exist.`,
    );
  }
  return document;
}

const describeDocument: JsonOperation = (input) => {
  const document = readDocument(new InputReader(input));
  const content = contentText(document);
  const parameters = Object.entries(document.parameters).map(([name, parameter]) => ({
    Name: name,
    Type: 'String',
    Description: parameter.description,
    ...(parameter.default !== undefined && { DefaultValue: parameter.default }),
  }));
  return {
    Document: {
      Sha1: sha256(content),
      Hash: sha256(content),
      HashType: 'Sha256',
      Name: document.name,
      Owner: 'Amazon',
      CreatedDate: epochSeconds(CREATED_DATE),
      Status: 'Active',
      DocumentVersion: '1',
      Description: document.description,
      Parameters: parameters,
      PlatformTypes: PLATFORM_TYPES,
      DocumentType: 'Session',
      SchemaVersion: '1.0',
      LatestVersion: '1',
      DefaultVersion: '1',
      DocumentFormat: 'JSON',
      Tags: [],
    },
  };
};

const getDocument: JsonOperation = (input) => {
  const reader = new InputReader(input);
  const name = reader.requiredString('Name', DOCUMENT_NAME);
  const version = reader.string('DocumentVersion', DOCUMENT_VERSION);
  const versionName = reader.string('VersionName', { min: 1, max: 128 });
  const format = reader.string('DocumentFormat', { oneOf: ['YAML', 'JSON', 'TEXT'] }) ?? 'JSON';
  const document = checkedDocument(name, version, versionName, reader);
  const content =
    format === 'YAML' ? `${toYaml(contentOf(document), '')}\n` : contentText(document);
  return {
    Name: document.name,
    CreatedDate: epochSeconds(CREATED_DATE),
    DocumentVersion: '1',
    Status: 'Active',
    Content: content,
    DocumentType: 'Session',
    DocumentFormat: format,
  };
};

/** Block-style YAML for the plain objects, strings and booleans a Session document holds. */
function toYaml(value: unknown, indent: string): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([key, item]) =>
        typeof item === 'object' && item !== null
          ? `${indent}${key}:\n${toYaml(item, `${indent}  `)}`
          : `${indent}${key}: ${yamlScalar(item)}`,
      )
      .join('\n');
  }
  if (Array.isArray(value)) {
    return value.map((item) => `${indent}- ${yamlScalar(item)}`).join('\n');
  }
  return `${indent}${yamlScalar(value)}`;
}

function yamlScalar(value: unknown): string {
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  // Single-quoted: only the quote itself needs escaping, so patterns and {{ }} stay readable.
  return `'${String(value).replaceAll("'", "''")}'`;
}

export const DOCUMENT_OPERATIONS: Readonly<Record<string, JsonOperation>> = {
  ListDocuments: listDocuments,
  DescribeDocument: describeDocument,
  GetDocument: getDocument,
};
