// DocumentsService: the Session documents a terminal can start with (the default shell, AWS's
// command documents, and every terminal document the account owns, was shared or AWS publishes)
// and each region's Session Manager preferences. Both are read once per source and region.
import {
  TerminalSessionTypeSchema,
  type DocumentsList,
  type DocumentsPreferences,
  type SessionDocument,
  type SessionPreferences,
} from '../../../shared/ipc';
import { DocumentNameSchema } from '../../../shared/domain';
import type { Logger } from '../base/logger';
import { toErrorMessage } from '../base/errors';
import {
  parseSessionDocument,
  type DocumentOwnerFilter,
  type DocumentsApi,
  type ListedDocument,
} from './documents-api';
import { DEFAULT_PREFERENCES, parsePreferences, PREFERENCES_DOCUMENT } from './session-preferences';
import type { SessionSource } from './sources';

/** GetDocument calls in flight at once while reading listed documents. */
const FETCH_CONCURRENCY = 4;
const OWNERS: readonly DocumentOwnerFilter[] = ['Self', 'Private', 'Amazon'];
const ORIGINS = { Self: 'account', Private: 'shared', Amazon: 'amazon' } as const;

/** A listed document and which listing found it. */
type Found = ListedDocument & { origin: SessionDocument['origin'] };

const command = (name: string, label: string, description: string, interactive: boolean) => ({
  name: DocumentNameSchema.parse(name),
  label,
  description,
  sessionType: interactive ? ('InteractiveCommands' as const) : ('NonInteractiveCommands' as const),
  parameters: [{ name: 'command', description: 'The command to run.', required: true }],
  builtIn: true,
  origin: 'amazon' as const,
  isDefault: false,
});

/**
 * Always offered. The shell's name is what Session Manager records for it; starting it names no
 * document at all, as the AWS CLI does, so it works where the preferences document does not exist.
 */
export const BUILT_IN_DOCUMENTS: readonly SessionDocument[] = Object.freeze([
  {
    name: DocumentNameSchema.parse(PREFERENCES_DOCUMENT),
    label: 'Shell',
    description: 'An interactive shell as the session preferences configure it (Standard_Stream).',
    sessionType: 'Standard_Stream',
    parameters: [],
    builtIn: true,
    origin: 'amazon',
    isDefault: true,
  },
  command(
    'AWS-StartInteractiveCommand',
    'Interactive command',
    'Runs one command in a terminal on the instance, e.g. top or a database shell.',
    true,
  ),
  command(
    'AWS-StartNonInteractiveCommand',
    'Command (no input)',
    'Runs one command without a terminal and shows its output and exit code.',
    false,
  ),
]);

const BUILT_IN_NAMES = new Set<string>(BUILT_IN_DOCUMENTS.map((doc) => doc.name));

export interface DocumentsService {
  list(request: { sourceId?: string; region?: string }): Promise<DocumentsList>;
  preferences(request: { sourceId?: string; region?: string }): Promise<DocumentsPreferences>;
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A shared document is listed by its ARN; its label is the name after `document/`. */
function labelOf(name: string): string {
  const slash = name.lastIndexOf(':document/');
  return slash < 0 ? name : name.slice(slash + ':document/'.length);
}

export function createDocumentsService(options: {
  sources: () => readonly SessionSource[];
  logger: Logger;
}): DocumentsService {
  const logger = options.logger.child('documents');
  const listed = new Map<string, Promise<SessionDocument[]>>();
  const preferences = new Map<string, Promise<SessionPreferences>>();

  function resolve(request: { sourceId?: string; region?: string }) {
    const sources = options.sources();
    const source =
      sources.find((candidate) => candidate.info.id === request.sourceId) ?? sources[0];
    return source ? { source, region: request.region ?? source.defaultRegion } : undefined;
  }

  /** One owner's documents; a denied listing loses only that owner's documents. */
  async function listOwner(
    api: DocumentsApi,
    owner: DocumentOwnerFilter,
    where: Record<string, string>,
  ): Promise<Found[]> {
    try {
      return (await api.listSessionDocuments(owner)).map((doc) => ({
        ...doc,
        origin: ORIGINS[owner],
      }));
    } catch (error) {
      logger.log('warn', 'listing Session documents failed', {
        ...where,
        owner,
        error: toErrorMessage(error),
      });
      return [];
    }
  }

  async function discover(source: SessionSource, region: string): Promise<SessionDocument[]> {
    const api = source.documents(region);
    const where = { source: source.info.id, region };
    const owned = (await Promise.all(OWNERS.map((owner) => listOwner(api, owner, where)))).flat();
    const seen = new Set<string>();
    const candidates = owned.filter((doc) => {
      if (BUILT_IN_NAMES.has(doc.name) || seen.has(doc.name)) return false;
      seen.add(doc.name);
      return true;
    });
    const read = await mapLimited(candidates, FETCH_CONCURRENCY, async (listedDoc) => {
      try {
        const content = await api.getDocumentJson(listedDoc.name);
        return content === undefined ? undefined : toOffered(listedDoc, content);
      } catch (error) {
        logger.log('warn', 'reading a Session document failed', {
          ...where,
          document: listedDoc.name,
          error: toErrorMessage(error),
        });
        return undefined;
      }
    });
    return read.filter((doc): doc is SessionDocument => doc !== undefined);
  }

  /** A listed document as the picker offers it; undefined for port and unreadable documents. */
  function toOffered(listedDoc: Found, content: string): SessionDocument | undefined {
    const doc = parseSessionDocument(listedDoc.name, content);
    const sessionType = TerminalSessionTypeSchema.safeParse(doc?.sessionType);
    const name = DocumentNameSchema.safeParse(listedDoc.name);
    if (!doc || !sessionType.success || !name.success) return undefined; // Port ones: forwards.
    const { origin } = listedDoc;
    return {
      name: name.data,
      label: labelOf(listedDoc.name),
      description: doc.description,
      sessionType: sessionType.data,
      parameters: doc.parameters.map((parameter) => ({
        ...parameter,
        required: parameter.defaultValue === undefined,
      })),
      builtIn: false,
      origin,
      ...(origin === 'shared' && { ownerAccountId: listedDoc.owner }),
      isDefault: false,
    };
  }

  async function readPreferences(
    source: SessionSource,
    region: string,
  ): Promise<SessionPreferences> {
    const content = await source.documents(region).getDocumentJson(PREFERENCES_DOCUMENT);
    return content === undefined ? DEFAULT_PREFERENCES : parsePreferences(content);
  }

  return {
    async list(request) {
      const target = resolve(request);
      if (!target) return { documents: [...BUILT_IN_DOCUMENTS] };
      const key = `${target.source.info.id}|${target.region}`;
      let pending = listed.get(key);
      if (!pending) {
        pending = discover(target.source, target.region);
        listed.set(key, pending);
      }
      return { documents: [...BUILT_IN_DOCUMENTS, ...(await pending)] };
    },

    async preferences(request) {
      const target = resolve(request);
      if (!target) return { preferences: DEFAULT_PREFERENCES };
      const key = `${target.source.info.id}|${target.region}`;
      let pending = preferences.get(key);
      if (!pending) {
        pending = readPreferences(target.source, target.region);
        preferences.set(key, pending);
        // A failure is not remembered: access may be granted, or the network come back.
        pending.catch(() => preferences.delete(key));
      }
      try {
        return { preferences: await pending };
      } catch (error) {
        const problem = toErrorMessage(error);
        logger.log('warn', 'reading Session Manager preferences failed', {
          source: target.source.info.id,
          region: target.region,
          error: problem,
        });
        return { problem };
      }
    },
  };
}
