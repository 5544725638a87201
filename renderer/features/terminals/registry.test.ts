// Unit tests for the terminal registry: one controller per tab, wired to its session's port.
import { describe, expect, it } from 'vitest';
import type { TabSessionId } from '../../../shared/domain';
import { FakeApi } from '../../testing/fake-api';
import { FakeClipboard, FakeSurface, manualResizeWatcher } from '../../testing/terminal-fakes';
import { TerminalController } from './controller';
import { createTerminalRegistry } from './registry';
import { createSessionHub } from './session-hub';

function setup() {
  const api = new FakeApi();
  const hub = createSessionHub(api);
  const surfaces: FakeSurface[] = [];
  const registry = createTerminalRegistry({
    api,
    hub,
    appearance: { fontSize: 14, fontFamily: 'JetBrains Mono', lineHeight: 1.2, theme: 'light' },
    createController: (appearance, onSize) => {
      const surface = new FakeSurface();
      surface.appearance = appearance;
      surfaces.push(surface);
      return new TerminalController({
        surface,
        clipboard: new FakeClipboard(),
        watchResize: manualResizeWatcher(),
        onSize,
      });
    },
  });
  return { api, registry, surfaces };
}

describe('createTerminalRegistry', () => {
  it('creates one controller per tab and routes its session output to it', () => {
    const { api, registry, surfaces } = setup();
    registry.create('t1');
    registry.create('t1');
    registry.create('t2');
    expect(surfaces).toHaveLength(2);
    registry.connect('t1', 's1' as TabSessionId);
    registry.connect('t2', 's2' as TabSessionId);
    api.emit('sessions:output', { id: 's2' as TabSessionId, data: new Uint8Array([42]) });
    expect(surfaces[0]!.written).toEqual([]);
    expect(surfaces[1]!.written).toEqual([new Uint8Array([42])]);
  });

  it('remembers the last fitted size as the hint for new sessions', () => {
    const { registry } = setup();
    expect(registry.sizeHint()).toBeUndefined();
    registry.create('t1');
    registry.get('t1')!.attach(document.createElement('div'));
    expect(registry.sizeHint()).toEqual({ cols: 120, rows: 40 });
  });

  it('resends the size when a session opens and shows why it ended', () => {
    const { api, registry, surfaces } = setup();
    registry.create('t1');
    registry.get('t1')!.attach(document.createElement('div'));
    registry.connect('t1', 's1' as TabSessionId);
    registry.opened('t1');
    expect(api.callsTo('sessions:resize')).toHaveLength(2);
    registry.ended('t1', 'Session closed: exit');
    expect(surfaces[0]!.notices).toEqual(['Session closed: exit']);
  });

  it('passes appearance changes to every terminal and disposes them all', () => {
    const { registry, surfaces } = setup();
    registry.create('t1');
    registry.create('t2');
    registry.setAppearance({
      fontSize: 20,
      fontFamily: 'JetBrains Mono',
      lineHeight: 1.2,
      theme: 'dark',
    });
    expect(surfaces.map((surface) => surface.appearance)).toEqual([
      { fontSize: 20, fontFamily: 'JetBrains Mono', lineHeight: 1.2, theme: 'dark' },
      { fontSize: 20, fontFamily: 'JetBrains Mono', lineHeight: 1.2, theme: 'dark' },
    ]);
    registry.disposeAll();
    expect(surfaces.every((surface) => surface.disposed)).toBe(true);
    expect(registry.get('t1')).toBeUndefined();
  });
});
