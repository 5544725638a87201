// Local session recordings: when Settings (or the start request of a saved profile) ask for it, a
// terminal session's output, size changes and optionally its input go to an asciicast v2 file
// (asciicast.ts) in the recordings folder of the app's data folder: folder 0700, files 0600,
// created exclusively so nothing planted there is written through. Each new recording deletes the
// oldest beyond the number kept. The renderer names a recording by id; the path is built here.
import { chmod, mkdir, open, readFile, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../shared/domain';
import {
  IpcFailure,
  RecordingIdSchema,
  type RecordingView,
  type RecordingsList,
} from '../../../shared/ipc';
import type { Clock } from '../base/clock';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import type { Random } from '../base/random';
import { AsciicastWriter, parseAsciicastHeader, type CastSink } from './asciicast';

export const RECORDINGS_FOLDER = 'recordings';
const EXTENSION = '.cast';
/** The header line is well under this; reading only the start of each file keeps listing cheap. */
const HEADER_READ_BYTES = 8192;

/** One session being recorded, as the session service feeds it. */
export interface SessionRecording {
  output(bytes: Uint8Array): void;
  input(bytes: Uint8Array): void;
  resize(cols: number, rows: number): void;
  close(): Promise<void>;
}

export interface RecordingRequest {
  readonly sessionId: string;
  /** Shown in the Recordings view and written as the file's title. */
  readonly title: string;
  readonly size: { readonly cols: number; readonly rows: number };
  /** The start request asked for it (sessions:start `record`), whatever Settings say. */
  readonly requested: boolean;
}

export interface SessionRecorder {
  /** Starts recording when asked to; undefined when this session is not recorded. */
  begin(request: RecordingRequest): SessionRecording | undefined;
}

/** What a recorded session needs of the engine session: its output and when it ends. */
export interface RecordableSession {
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
  onStatus(listener: (status: { readonly state: string }) => void): () => void;
}

/**
 * The session service's side of recording: which of its sessions are recorded, fed with their
 * output from the start, their input and size changes, and closed when the session ends.
 */
export class RecordedSessions {
  private readonly recordings = new Map<string, SessionRecording>();

  constructor(private readonly recorder: SessionRecorder | undefined) {}

  begin(
    id: string,
    session: RecordableSession,
    what: {
      name: string | undefined;
      instanceId: string;
      size: { cols: number; rows: number };
      asked: boolean | undefined;
    },
  ): void {
    const recording = this.recorder?.begin({
      sessionId: id,
      title: what.name ? `${what.name} (${what.instanceId})` : what.instanceId,
      size: what.size,
      requested: what.asked === true,
    });
    if (!recording) return;
    this.recordings.set(id, recording);
    const stopOutput = session.onOutput((bytes) => recording.output(bytes));
    const stopStatus = session.onStatus((status) => {
      if (status.state !== 'closed' && status.state !== 'error') return;
      stopOutput();
      stopStatus();
      void this.stop(id);
    });
  }

  input(id: string, data: Uint8Array): void {
    this.recordings.get(id)?.input(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.recordings.get(id)?.resize(cols, rows);
  }

  async stop(id: string): Promise<void> {
    const recording = this.recordings.get(id);
    this.recordings.delete(id);
    await recording?.close();
  }
}

export interface RecordingsService extends SessionRecorder {
  list(): Promise<RecordingsList>;
  read(id: string): Promise<{ text: string }>;
  delete(id: string): Promise<{ deleted: boolean }>;
  /** Closes every recording being written. */
  dispose(): Promise<void>;
}

export interface RecordingsServiceOptions {
  /** The app's data folder; recordings go in its `recordings` folder. */
  readonly userDataDir: string;
  readonly settings: () => Settings;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Tells the renderer the list changed (recordings:changed). */
  readonly publish: (list: RecordingsList) => void;
}

interface Active {
  readonly writer: AsciicastWriter;
  readonly sessionId: string;
  readonly title: string;
  readonly includesInput: boolean;
}

/** An append-only file created on first write: exclusive (never an existing file or link), 0600. */
function fileSink(folder: string, file: string): CastSink {
  let handle: Promise<FileHandle> | undefined;
  const opened = () =>
    (handle ??= (async () => {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      // An existing folder keeps its mode through mkdir: make it private either way.
      await chmod(folder, 0o700);
      return open(path.join(folder, file), 'wx', 0o600);
    })());
  return {
    async append(text) {
      await (await opened()).appendFile(text, 'utf8');
    },
    async close() {
      if (handle) await (await handle).close();
    },
  };
}

/** The ids of the recordings in the folder, oldest first; anything else there is ignored. */
async function storedIds(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(EXTENSION))
    .map((name) => name.slice(0, -EXTENSION.length))
    .filter((id) => RecordingIdSchema.safeParse(id).success)
    .sort();
}

/** The title in a recording's header line, reading only the start of the file. */
async function titleOf(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(HEADER_READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0);
    const head = new TextDecoder().decode(buffer.subarray(0, bytesRead));
    return parseAsciicastHeader(head.split('\n', 1)[0] ?? '')?.title;
  } finally {
    await handle.close();
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function createRecordingsService(options: RecordingsServiceOptions): RecordingsService {
  const logger = options.logger.child('recordings');
  const folder = path.join(options.userDataDir, RECORDINGS_FOLDER);
  const active = new Map<string, Active>();
  const truncated = new Set<string>();
  /** The last retention pass, chained so passes never overlap. */
  let pruning: Promise<void> = Promise.resolve();
  const fileOf = (id: string) => path.join(folder, `${RecordingIdSchema.parse(id)}${EXTENSION}`);

  async function describe(id: string): Promise<RecordingView | undefined> {
    const file = fileOf(id);
    try {
      const info = await stat(file);
      const title = await titleOf(file);
      const recording = active.get(id);
      return {
        id,
        title: title ?? '(no title)',
        startedAt: new Date(Number(id.slice(0, 13))).toISOString(),
        bytes: info.size,
        active: recording !== undefined,
        ...(recording && { sessionId: recording.sessionId as RecordingView['sessionId'] }),
        ...(recording?.includesInput && { includesInput: true }),
        ...(truncated.has(id) && { truncated: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Deleted meanwhile, or being recorded with its file not open yet (it opens on first write).
      const recording = active.get(id);
      if (!recording) return undefined;
      return {
        id,
        title: recording.title,
        startedAt: new Date(Number(id.slice(0, 13))).toISOString(),
        bytes: 0,
        active: true,
        sessionId: recording.sessionId as RecordingView['sessionId'],
      };
    }
  }

  async function list(): Promise<RecordingsList> {
    // A listing right after a recording began already leaves out what it pruned.
    await pruning;
    const ids = [...new Set([...(await storedIds(folder)), ...active.keys()])].sort().reverse();
    const views = await Promise.all(ids.map(describe));
    return { recordings: views.filter((view) => view !== undefined), folder };
  }

  function announce(): void {
    void list()
      .then(options.publish)
      .catch((error: unknown) =>
        logger.log('warn', 'could not list recordings', { error: toErrorMessage(error) }),
      );
  }

  /** Deletes the oldest finished recordings beyond the number kept (those being written count). */
  async function prune(): Promise<void> {
    const kept = options.settings().recordingsKept;
    const ids = [...new Set([...(await storedIds(folder)), ...active.keys()])].sort();
    const removable = ids.filter((id) => !active.has(id));
    const excess = ids.length - kept;
    for (const id of removable.slice(0, Math.max(0, excess))) {
      await rm(fileOf(id), { force: true });
      truncated.delete(id);
    }
  }

  function stop(id: string): Promise<void> {
    const recording = active.get(id);
    if (!recording) return Promise.resolve();
    return recording.writer.close().finally(() => {
      active.delete(id);
      announce();
    });
  }

  return {
    begin(request) {
      const settings = options.settings();
      if (!settings.recordSessions && !request.requested) return undefined;
      const id = `${String(options.clock.now()).padStart(13, '0')}-${hex(options.random.bytes(4))}`;
      const includesInput = settings.recordInput;
      const writer = new AsciicastWriter({
        sink: fileSink(folder, `${id}${EXTENSION}`),
        clock: options.clock,
        size: request.size,
        title: request.title,
        maxBytes: settings.recordingMaxMegabytes * 1024 * 1024,
        includeInput: includesInput,
        onTruncated: () => {
          truncated.add(id);
          logger.log('info', 'a recording reached its size limit', { id });
          announce();
        },
        onError: (error) =>
          logger.log('warn', 'a recording could not be written', {
            id,
            error: toErrorMessage(error),
          }),
      });
      active.set(id, { writer, sessionId: request.sessionId, title: request.title, includesInput });
      pruning = pruning
        .then(prune)
        .catch((error: unknown) =>
          logger.log('warn', 'could not delete old recordings', { error: toErrorMessage(error) }),
        );
      announce();
      return {
        output: (bytes) => writer.output(bytes),
        input: (bytes) => writer.input(bytes),
        resize: (cols, rows) => writer.resize(cols, rows),
        close: () => stop(id),
      };
    },

    list,

    async read(id) {
      try {
        return { text: await readFile(fileOf(id), 'utf8') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new IpcFailure('not-found', 'That recording no longer exists.');
        }
        throw error;
      }
    },

    async delete(id) {
      const file = fileOf(id);
      await stop(id);
      const existed = (await storedIds(folder)).includes(id);
      await rm(file, { force: true });
      truncated.delete(id);
      announce();
      return { deleted: existed };
    },

    async dispose() {
      await Promise.all([...active.keys()].map(stop));
    },
  };
}
