// Unit tests for the files store: the upload pump sends one chunk at a time (the next only after
// main stored the last), stops at a cancel, and follows files:changed.
import { describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain';
import { UPLOAD_CHUNK_BYTES, type Result, type TransferView } from '../../../shared/ipc';
import { FakeApi, deferred } from '../../testing/fake-api';
import { createFilesStore } from './store';

const target = {
  instanceId: 'i-0123456789abcdef0' as InstanceId,
  sourceId: 'sandbox' as SourceId,
  region: 'us-east-1' as Region,
  label: 'web-1',
};

/** A File as the store reads it (jsdom's Blob cannot read itself). */
function fileOf(name: string, bytes: Uint8Array) {
  return {
    name,
    size: bytes.byteLength,
    slice: (start: number, end: number) => ({
      arrayBuffer: () => Promise.resolve(bytes.slice(start, end).buffer),
    }),
  };
}

/** Yields until queued promise callbacks (Blob reads, replies) have run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('files store', () => {
  it('streams a file in chunks, each sent only after the previous one was stored', async () => {
    const size = 2 * UPLOAD_CHUNK_BYTES + 5;
    const bytes = new Uint8Array(size).map((_, i) => i % 256);
    const replies: ((value: Result<Record<string, never>>) => void)[] = [];
    const api = new FakeApi()
      .reply('files:upload-start', { ok: true, value: { id: 't1' } })
      .reply('files:upload-chunk', () => {
        const reply = deferred<Result<Record<string, never>>>();
        replies.push(reply.resolve);
        return reply.promise;
      });
    const store = createFilesStore({ api, onError: () => undefined });
    const done = store.getState().upload(target, [fileOf('a.bin', bytes)], '~');
    await settle();
    expect(api.callsTo('files:upload-start')).toEqual([
      {
        instanceId: target.instanceId,
        sourceId: 'sandbox',
        region: 'us-east-1',
        name: 'a.bin',
        size,
        destination: '~',
      },
    ]);
    expect(api.callsTo('files:upload-chunk')).toHaveLength(1);
    replies[0]?.({ ok: true, value: {} });
    await settle();
    expect(api.callsTo('files:upload-chunk')).toHaveLength(2);
    replies[1]?.({ ok: true, value: {} });
    await settle();
    replies[2]?.({ ok: true, value: {} });
    await done;
    const chunks = api.callsTo('files:upload-chunk') as { data: Uint8Array }[];
    expect(chunks.map((c) => c.data.byteLength)).toEqual([
      UPLOAD_CHUNK_BYTES,
      UPLOAD_CHUNK_BYTES,
      5,
    ]);
    expect(chunks[2]?.data[4]).toBe((size - 1) % 256);
    expect(api.callsTo('files:upload-end')).toEqual([{ id: 't1' }]);
  });

  it('stops sending when main says the upload was cancelled, without an error notice', async () => {
    const errors: string[] = [];
    const api = new FakeApi()
      .reply('files:upload-start', { ok: true, value: { id: 't2' } })
      .reply('files:upload-chunk', {
        ok: false,
        error: { code: 'cancelled', message: 'not taking bytes' },
      });
    const store = createFilesStore({ api, onError: (m) => errors.push(m) });
    await store
      .getState()
      .upload(target, [fileOf('b.bin', new Uint8Array(3 * UPLOAD_CHUNK_BYTES))], '~');
    expect(api.callsTo('files:upload-chunk')).toHaveLength(1);
    expect(api.callsTo('files:upload-end')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keeps each transfer once, updated by files:changed', () => {
    const api = new FakeApi();
    const store = createFilesStore({ api, onError: () => undefined });
    const stop = store.getState().watch();
    const view: TransferView = {
      id: 't3',
      direction: 'download',
      instanceId: target.instanceId,
      sourceId: 'sandbox',
      region: 'us-east-1',
      name: 'c.txt',
      state: 'running',
      doneBytes: 10,
      bytesPerSecond: 0,
    };
    api.emit('files:changed', view);
    api.emit('files:changed', { ...view, state: 'done', doneBytes: 20 });
    expect(store.getState().transfers).toEqual([{ ...view, state: 'done', doneBytes: 20 }]);
    stop();
  });
});
