// SSM document operations for the sandbox's Session documents: ListDocuments (filters, pagination),
// DescribeDocument and GetDocument, with the shapes and errors the AWS CLI and SDKs expect.

import { createHash } from 'node:crypto';
import { epochSeconds, type CallContext, type JsonOperation, type ServiceDeps } from './context';
import { catalogFor, contentValue, findInCatalog, type CatalogDocument } from './document-catalog';
import { ssmError } from './errors';
import { InputReader, type JsonObject } from './input';
import { decodeNextToken, paginate, queryFingerprint } from './pagination';

const PLATFORM_TYPES = ['Windows', 'Linux', 'MacOS'];
const DOCUMENT_NAME = { pattern: /^[a-zA-Z0-9_\-.:/]{3,200}$/ };
const DOCUMENT_VERSION = { pattern: /^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$/ };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const OWNER_VALUES = ['Self', 'Amazon', 'Public', 'Private', 'ThirdParty', 'All'];

type DocumentPredicate = (entry: CatalogDocument) => boolean;

/**
 * Which documents an Owner value selects for the caller's account: its own (Self), AWS's (Amazon;
 * Public adds documents shared with everyone, which the sandbox has none of), those other accounts
 * shared with it (Private), Marketplace ones (ThirdParty: none here) or every one it can see (All).
 */
function ownerMatches(value: string, entry: CatalogDocument, accountId: string): boolean {
  switch (value) {
    case 'Self':
      return entry.owner === accountId;
    case 'Amazon':
    case 'Public':
      return entry.owner === 'Amazon';
    case 'Private':
      return entry.owner !== 'Amazon' && entry.owner !== accountId;
    case 'All':
      return true;
    default:
      return false;
  }
}

/** One filter of either list; values are ORed, filters ANDed. */
function documentPredicate(
  key: string,
  values: readonly string[],
  accountId: string,
): DocumentPredicate {
  switch (key) {
    case 'Name':
      // Matches names that begin with a value, as the service does.
      return (e) => values.some((v) => e.document.name.startsWith(v) || e.listedName.startsWith(v));
    case 'Owner': {
      const bad = values.find((v) => !OWNER_VALUES.includes(v));
      if (bad !== undefined) {
        throw ssmError(
          'ValidationException',
          `Invalid value ${bad} for filter key Owner. Valid values: ${OWNER_VALUES.join(', ')}.`,
        );
      }
      return (e) => values.some((v) => ownerMatches(v, e, accountId));
    }
    case 'PlatformTypes':
      return () => values.some((v) => PLATFORM_TYPES.includes(v));
    case 'DocumentType':
      return () => values.includes('Session');
    case 'SearchKeyword':
      return (e) =>
        values.some((v) =>
          `${e.document.name} ${e.document.description}`.toLowerCase().includes(v.toLowerCase()),
        );
    default:
      // No sandbox document has tags.
      if (key === 'tag-key' || (key.startsWith('tag:') && key.length > 4)) return () => false;
      throw ssmError('InvalidFilterKey', `The filter key ${key} is not valid.`);
  }
}

function identifier(entry: CatalogDocument): JsonObject {
  return {
    Name: entry.listedName,
    CreatedDate: epochSeconds(entry.createdDate),
    Owner: entry.owner,
    PlatformTypes: PLATFORM_TYPES,
    DocumentVersion: '1',
    DocumentType: 'Session',
    SchemaVersion: '1.0',
    DocumentFormat: entry.format,
    Tags: [],
  };
}

function catalogOf(call: CallContext, deps: ServiceDeps): CatalogDocument[] {
  return catalogFor(call.principal.accountId, call.region, deps.preferences);
}

const listDocuments: JsonOperation = (input, call, deps) => {
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
    documentPredicate(key, values, call.principal.accountId),
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
  const matches = catalogOf(call, deps).filter((entry) => predicates.every((p) => p(entry)));
  const page = paginate(matches, offset, maxResults ?? 50, fingerprint);
  const out: JsonObject = { DocumentIdentifiers: page.items.map(identifier) };
  if (page.nextToken !== undefined) out.NextToken = page.nextToken;
  return out;
};

/** The named document at a version that exists (only version 1 does), or the service's error. */
function checkedDocument(
  reader: InputReader,
  call: CallContext,
  deps: ServiceDeps,
  takesFormat: boolean,
): { entry: CatalogDocument; format: string | undefined } {
  const name = reader.requiredString('Name', DOCUMENT_NAME);
  const version = reader.string('DocumentVersion', DOCUMENT_VERSION);
  const versionName = reader.string('VersionName', { min: 1, max: 128 });
  const format = takesFormat
    ? reader.string('DocumentFormat', { oneOf: ['YAML', 'JSON', 'TEXT'] })
    : undefined;
  reader.done();
  const accountId = call.principal.accountId;
  const entry = findInCatalog(catalogOf(call, deps), name, accountId, call.region);
  if (!entry) throw ssmError('InvalidDocument', `Document with name ${name} does not exist.`);
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
  return { entry, format };
}

const describeDocument: JsonOperation = (input, call, deps) => {
  const { entry } = checkedDocument(new InputReader(input), call, deps, false);
  const { document } = entry;
  const parameters = Object.entries(document.parameters).map(([name, parameter]) => ({
    Name: name,
    Type: 'String',
    Description: parameter.description,
    ...(parameter.default !== undefined && { DefaultValue: parameter.default }),
  }));
  return {
    Document: {
      Sha1: sha256(entry.content),
      Hash: sha256(entry.content),
      HashType: 'Sha256',
      Name: entry.listedName,
      Owner: entry.owner,
      CreatedDate: epochSeconds(entry.createdDate),
      Status: 'Active',
      DocumentVersion: '1',
      Description: document.description,
      Parameters: parameters,
      PlatformTypes: PLATFORM_TYPES,
      DocumentType: 'Session',
      SchemaVersion: '1.0',
      LatestVersion: '1',
      DefaultVersion: '1',
      DocumentFormat: entry.format,
      Tags: [],
    },
  };
};

/**
 * The content in the asked format, converted from the authored one as SSM does; without
 * DocumentFormat the document comes back as it was written, so a YAML-authored document is YAML.
 */
const getDocument: JsonOperation = (input, call, deps) => {
  const { entry, format: asked } = checkedDocument(new InputReader(input), call, deps, true);
  const format = asked === undefined || asked === 'TEXT' ? entry.format : asked;
  const content =
    format === entry.format
      ? entry.content
      : format === 'YAML'
        ? `${toYaml(contentValue(entry), '')}\n`
        : JSON.stringify(contentValue(entry), null, 2);
  return {
    Name: entry.listedName,
    CreatedDate: epochSeconds(entry.createdDate),
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
