// DocumentsService: the Session documents a terminal can start with (AWS's own plus the account's).
import {
  TerminalSessionTypeSchema,
  type DocumentsList,
  type SessionDocument,
} from '../../../shared/ipc';
import { DocumentNameSchema } from '../../../shared/domain';
import type { Logger } from '../base/logger';
import { DEFAULT_SHELL_DOCUMENT } from './session-service';
import type { SessionSource } from './sources';
import { toErrorMessage } from '../base/errors';

/** How many of the account's own documents are inspected (one GetDocument each). */
const OWN_DOCUMENT_LIMIT = 20;

export const BUILT_IN_DOCUMENTS: readonly SessionDocument[] = Object.freeze([
  {
    name: DocumentNameSchema.parse(DEFAULT_SHELL_DOCUMENT),
    label: 'Shell',
    description: 'An interactive shell as the session preferences configure it (Standard_Stream).',
    sessionType: 'Standard_Stream',
    parameters: [],
    builtIn: true,
    isDefault: true,
  },
  {
    name: DocumentNameSchema.parse('AWS-StartInteractiveCommand'),
    label: 'Interactive command',
    description: 'Runs one command in a terminal on the instance, e.g. top or a database shell.',
    sessionType: 'InteractiveCommands',
    parameters: [{ name: 'command', description: 'The command to run.', required: true }],
    builtIn: true,
    isDefault: false,
  },
]);

export interface DocumentsService {
  list(request: { sourceId?: string; region?: string }): Promise<DocumentsList>;
}

export function createDocumentsService(options: {
  sources: () => readonly SessionSource[];
  logger: Logger;
}): DocumentsService {
  const logger = options.logger.child('documents');
  const cache = new Map<string, SessionDocument[]>();

  async function ownDocuments(source: SessionSource, region: string): Promise<SessionDocument[]> {
    const key = `${source.info.id}|${region}`;
    const cached = cache.get(key);
    if (cached) return cached;
    let documents: SessionDocument[] = [];
    try {
      const own = await source.documents(region).listOwnSessionDocuments(OWN_DOCUMENT_LIMIT);
      documents = own.flatMap((doc): SessionDocument[] => {
        const sessionType = TerminalSessionTypeSchema.safeParse(doc.sessionType);
        const name = DocumentNameSchema.safeParse(doc.name);
        if (!sessionType.success || !name.success) return []; // Port documents belong to forwards.
        return [
          {
            name: name.data,
            label: doc.name,
            description: doc.description,
            sessionType: sessionType.data,
            parameters: doc.parameters.map((parameter) => ({
              ...parameter,
              required: parameter.defaultValue === undefined,
            })),
            builtIn: false,
            isDefault: false,
          },
        ];
      });
    } catch (error) {
      // The built-in documents still work; listing is a convenience that may be denied by IAM.
      logger.log('warn', 'listing Session documents failed', {
        source: source.info.id,
        region,
        error: toErrorMessage(error),
      });
    }
    cache.set(key, documents);
    return documents;
  }

  return {
    async list(request) {
      const sources = options.sources();
      const source =
        sources.find((candidate) => candidate.info.id === request.sourceId) ?? sources[0];
      // The Local sandbox offers exactly the AWS documents; only real accounts have their own.
      if (!source || source.info.kind !== 'aws') return { documents: [...BUILT_IN_DOCUMENTS] };
      const region = request.region ?? source.defaultRegion;
      return { documents: [...BUILT_IN_DOCUMENTS, ...(await ownDocuments(source, region))] };
    },
  };
}
