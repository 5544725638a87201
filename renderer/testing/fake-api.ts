// Test fake of the typed IPC Api: scripted invoke replies (deferred when the test wants to settle
// them later), a call log, and events the test emits to subscribed listeners. Channels a test does
// not script answer with an empty but well-formed value (no profiles, no instances).
import type {
  Api,
  EventChannelName,
  EventOf,
  InvokeChannelName,
  RequestOf,
  ResponseOf,
  Result,
  SourcesState,
} from '../../shared/ipc';

type Reply<C extends InvokeChannelName> =
  | Result<ResponseOf<C>>
  | ((request: RequestOf<C>) => Result<ResponseOf<C>> | Promise<Result<ResponseOf<C>>>);

export interface Call {
  readonly channel: InvokeChannelName;
  readonly request: unknown;
}

const EMPTY_SOURCES: SourcesState = {
  backend: 'aws',
  files: ['~/.aws/config', '~/.aws/credentials'],
  problems: [],
  profiles: [],
};

/** What an unscripted channel answers; anything not listed answers `{}`. */
const DEFAULT_VALUES: Partial<Record<InvokeChannelName, unknown>> = {
  'inventory:list': { instances: [], sources: [], refreshing: false },
  'sources:list': EMPTY_SOURCES,
  'sources:reload': EMPTY_SOURCES,
  'sources:select': EMPTY_SOURCES,
  'sources:check': EMPTY_SOURCES,
  'sources:login': EMPTY_SOURCES,
  'sources:regions': { regions: [] },
  'sessions:attachable': { sessions: [] },
  'recordings:list': { recordings: [], folder: '' },
  'files:list': { transfers: [] },
  'sources:sso-accounts': { sessions: [] },
};

export class FakeApi implements Api {
  readonly calls: Call[] = [];
  private replies = new Map<InvokeChannelName, unknown>();
  private listeners = new Map<EventChannelName, Set<(payload: unknown) => void>>();

  reply<C extends InvokeChannelName>(channel: C, reply: Reply<C>): this {
    this.replies.set(channel, reply);
    return this;
  }

  invoke<C extends InvokeChannelName>(
    channel: C,
    request: RequestOf<C>,
  ): Promise<Result<ResponseOf<C>>> {
    this.calls.push({ channel, request });
    const reply = this.replies.get(channel) as Reply<C> | undefined;
    if (reply === undefined) {
      return Promise.resolve({ ok: true, value: (DEFAULT_VALUES[channel] ?? {}) as ResponseOf<C> });
    }
    return Promise.resolve(typeof reply === 'function' ? reply(request) : reply);
  }

  on<E extends EventChannelName>(channel: E, listener: (payload: EventOf<E>) => void): () => void {
    const set = this.listeners.get(channel) ?? new Set();
    this.listeners.set(channel, set);
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  emit<E extends EventChannelName>(channel: E, payload: EventOf<E>): void {
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(payload);
  }

  callsTo(channel: InvokeChannelName): unknown[] {
    return this.calls.filter((call) => call.channel === channel).map((call) => call.request);
  }

  listenerCount(channel: EventChannelName): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

/** A promise the test resolves by hand, for replies that must arrive at a chosen moment. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
