// DocumentsApi port: the account's own Session documents usable for terminals (ListDocuments + GetDocument).
import { GetDocumentCommand, ListDocumentsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { sdkClientConfig, type AwsClientOptions } from '../aws/client-config';

export interface AccountSessionDocument {
  name: string;
  description: string;
  sessionType: string;
  parameters: { name: string; description: string; defaultValue?: string }[];
}

export interface DocumentsApi {
  /** Session documents owned by the account (at most `limit`), with their sessionType. */
  listOwnSessionDocuments(limit: number): Promise<AccountSessionDocument[]>;
}

export function createDocumentsApi(options: AwsClientOptions): DocumentsApi & { destroy(): void } {
  const client = new SSMClient(sdkClientConfig(options));
  return {
    async listOwnSessionDocuments(limit) {
      const listed = await client.send(
        new ListDocumentsCommand({
          Filters: [
            { Key: 'DocumentType', Values: ['Session'] },
            { Key: 'Owner', Values: ['Self'] },
          ],
          MaxResults: Math.min(50, Math.max(1, limit)),
        }),
      );
      const names = (listed.DocumentIdentifiers ?? [])
        .map((doc) => doc.Name)
        .filter((name): name is string => typeof name === 'string')
        .slice(0, limit);
      const out: AccountSessionDocument[] = [];
      for (const name of names) {
        const document = await client.send(new GetDocumentCommand({ Name: name }));
        const parsed = parseSessionDocument(name, document.Content ?? '');
        if (parsed) out.push(parsed);
      }
      return out;
    },
    destroy: () => client.destroy(),
  };
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
  if (typeof json !== 'object' || json === null) return undefined;
  const doc = json as { sessionType?: unknown; description?: unknown; parameters?: unknown };
  if (typeof doc.sessionType !== 'string') return undefined;
  const parameters: AccountSessionDocument['parameters'] = [];
  if (typeof doc.parameters === 'object' && doc.parameters !== null) {
    for (const [paramName, spec] of Object.entries(doc.parameters as Record<string, unknown>)) {
      const s = (typeof spec === 'object' && spec !== null ? spec : {}) as {
        description?: unknown;
        default?: unknown;
      };
      parameters.push({
        name: paramName,
        description: typeof s.description === 'string' ? s.description : '',
        ...(typeof s.default === 'string' && { defaultValue: s.default }),
      });
    }
  }
  return {
    name,
    description: typeof doc.description === 'string' ? doc.description : '',
    sessionType: doc.sessionType,
    parameters,
  };
}
