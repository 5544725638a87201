import { describe, expect, it } from 'vitest';
import { createRecents, MAX_RECENTS, RECENTS_KEY, type KeyValueStorage } from './recents';

function memoryStorage(initial?: string): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  if (initial !== undefined) data.set(RECENTS_KEY, initial);
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

describe('recents', () => {
  it('puts the last used id first and survives a new page', () => {
    const storage = memoryStorage();
    const recents = createRecents(storage);
    recents.use('a');
    recents.use('b');
    recents.use('a');
    expect(recents.list()).toEqual(['a', 'b']);
    expect(createRecents(storage).list()).toEqual(['a', 'b']);
  });

  it(`keeps at most ${MAX_RECENTS}`, () => {
    const recents = createRecents(memoryStorage());
    for (let i = 0; i < MAX_RECENTS + 5; i++) recents.use(`id-${i}`);
    expect(recents.list()).toHaveLength(MAX_RECENTS);
    expect(recents.list()[0]).toBe(`id-${MAX_RECENTS + 4}`);
  });

  it('starts empty from damaged or foreign data, keeping only strings', () => {
    expect(createRecents(memoryStorage('not json')).list()).toEqual([]);
    expect(createRecents(memoryStorage('{"a":1}')).list()).toEqual([]);
    expect(createRecents(memoryStorage('["x", 3, "y"]')).list()).toEqual(['x', 'y']);
  });

  it('still orders within the page when storage refuses writes', () => {
    const recents = createRecents({
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
    });
    recents.use('a');
    expect(recents.list()).toEqual(['a']);
  });
});
