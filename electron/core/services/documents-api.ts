// DocumentsApi port: the Session documents an account can use (ListDocuments, every page) and
// their content as JSON (GetDocument with DocumentFormat JSON, which SSM converts YAML-authored
// documents to), plus the reading of that content.
import {
  GetDocumentCommand,
  InvalidDocument,
  ListDocumentsCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { sdkClientConfig, type AwsClientOptions } from '../aws/client-config';

/** ListDocuments' Owner filter values Airlock asks for: the account's, shared with it, AWS's. */
export type DocumentOwnerFilter = 'Self' | 'Private' | 'Amazon';

export interface ListedDocument {
  /** The name to use with GetDocument and StartSession (an ARN for a shared document). */
  name: string;
  /** 'Amazon' or the owning account's id. */
  owner: string;
}

export interface AccountSessionDocument {
  name: string;
  description: string;
  sessionType: string;
  parameters: { name: string; description: string; defaultValue?: string }[];
}

export interface DocumentsApi {
  /** Every Session document with this owner, over all pages of ListDocuments. */
  listSessionDocuments(owner: DocumentOwnerFilter): Promise<ListedDocument[]>;
  /** The document's content as JSON text; undefined when no such document exists here. */
  getDocumentJson(name: string): Promise<string | undefined>;
}

/** The most pages one listing reads, so a misbehaving endpoint cannot loop forever. */
const MAX_PAGES = 200;

export function createDocumentsApi(options: AwsClientOptions): DocumentsApi & { destroy(): void } {
  const client = new SSMClient(sdkClientConfig(options));
  return {
    async listSessionDocuments(owner) {
      const out: ListedDocument[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const listed = await client.send(
          new ListDocumentsCommand({
            Filters: [
              { Key: 'DocumentType', Values: ['Session'] },
              { Key: 'Owner', Values: [owner] },
            ],
            MaxResults: 50,
            ...(nextToken !== undefined && { NextToken: nextToken }),
          }),
        );
        for (const doc of listed.DocumentIdentifiers ?? []) {
          if (typeof doc.Name === 'string') out.push({ name: doc.Name, owner: doc.Owner ?? '' });
        }
        nextToken = listed.NextToken || undefined;
        if (nextToken === undefined) break;
      }
      return out;
    },
    async getDocumentJson(name) {
      try {
        const document = await client.send(
          new GetDocumentCommand({ Name: name, DocumentFormat: 'JSON' }),
        );
        return document.Content ?? '';
      } catch (error) {
        if (error instanceof InvalidDocument) return undefined;
        throw error;
      }
    },
    destroy: () => client.destroy(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar as text: YAML-authored documents converted to JSON may hold numbers and booleans. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Reads a Session document's JSON content; returns undefined when it is not JSON we understand. */
export function parseSessionDocument(
  name: string,
  content: string,
): AccountSessionDocument | undefined {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (!isRecord(json) || typeof json.sessionType !== 'string') return undefined;
  const parameters: AccountSessionDocument['parameters'] = [];
  for (const [paramName, spec] of Object.entries(
    isRecord(json.parameters) ? json.parameters : {},
  )) {
    const s = isRecord(spec) ? spec : {};
    const defaultValue = scalarText(s.default);
    parameters.push({
      name: paramName,
      description: typeof s.description === 'string' ? s.description : '',
      ...(defaultValue !== undefined && { defaultValue }),
    });
  }
  return {
    name,
    description: typeof json.description === 'string' ? json.description : '',
    sessionType: json.sessionType,
    parameters,
  };
}
