// Unit tests for the terminal controller, driven by a fake surface, fake session port and clipboard.
import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeClipboard,
  FakePort,
  FakeSurface,
  flushMicrotasks,
  manualResizeWatcher,
} from '../../testing/terminal-fakes';
import { OUTPUT_ACK_BATCH_BYTES, OUTPUT_SNAPSHOT_PREFIX } from '../../../shared/ipc';
import { TerminalController, type TerminalControllerOptions } from './controller';

const controllers: TerminalController[] = [];

function setup(overrides: Partial<TerminalControllerOptions> = {}) {
  const surface = new FakeSurface();
  const clipboard = new FakeClipboard();
  const watcher = manualResizeWatcher();
  const sizes: { cols: number; rows: number }[] = [];
  const controller = new TerminalController({
    surface,
    clipboard,
    watchResize: watcher,
    onSize: (size) => sizes.push(size),
    ...overrides,
  });
  controllers.push(controller);
  const container = document.createElement('div');
  return { surface, clipboard, watcher, controller, container, sizes, port: new FakePort() };
}

function keyEvent(key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  return new KeyboardEvent('keydown', { key, cancelable: true, ...init });
}

afterEach(() => {
  for (const controller of controllers.splice(0)) controller.dispose();
});

describe('TerminalController output', () => {
  it('writes output bytes to the terminal and acks drawn bytes in batches of about 5,000', () => {
    const { controller, surface, port } = setup();
    controller.connect(port);
    const batch = new Uint8Array([104, 105, 13, 10]);
    port.emit(batch);
    expect(surface.written).toEqual([batch]);
    surface.flushWrites();
    expect(port.acks).toEqual([]);
    port.emit(new Uint8Array(OUTPUT_ACK_BATCH_BYTES - 10));
    surface.flushWrites();
    expect(port.acks).toEqual([]);
    const last = new Uint8Array(6);
    port.emit(last);
    expect(port.acks).toEqual([]);
    surface.flushWrites();
    expect(port.acks).toEqual([OUTPUT_ACK_BATCH_BYTES]);
  });

  it('resets the terminal for a snapshot from main and writes it without the prefix', () => {
    const { controller, surface, port } = setup();
    controller.connect(port);
    const screen = new TextEncoder().encode('\x1b[Hrestored');
    const event = new Uint8Array([...new TextEncoder().encode(OUTPUT_SNAPSHOT_PREFIX), ...screen]);
    port.emit(event);
    expect(surface.resets).toBe(1);
    expect(surface.written.map((bytes) => Array.from(bytes))).toEqual([Array.from(screen)]);
    port.emit(new Uint8Array(OUTPUT_ACK_BATCH_BYTES));
    surface.flushWrites();
    // Acks count what main sent, prefix included.
    expect(port.acks).toEqual([OUTPUT_ACK_BATCH_BYTES + event.length]);
  });

  it('stops taking output from a port once the session ends, and says why', () => {
    const { controller, surface, port } = setup();
    controller.connect(port);
    controller.end('Session closed: exit');
    expect(port.listenerCount).toBe(0);
    expect(surface.notices).toEqual(['Session closed: exit']);
  });

  it('takes output from a new port after a restart, not the old one', () => {
    const { controller, surface, port } = setup();
    controller.connect(port);
    controller.restart('Starting a new session…');
    const second = new FakePort();
    controller.connect(second);
    port.emit(new Uint8Array([1]));
    second.emit(new Uint8Array([2]));
    expect(surface.written).toEqual([new Uint8Array([2])]);
  });
});

describe('TerminalController input', () => {
  it('sends keystrokes in order, one message at a time', async () => {
    const { controller, surface, port } = setup();
    controller.connect(port);
    surface.type('l');
    surface.type('s');
    surface.type('\r');
    expect(port.writes).toHaveLength(1);
    await port.settle();
    await port.settle();
    await port.settle();
    expect(port.writtenText).toBe('ls\r');
  });

  it('chunks a large paste and keeps later keys behind it', async () => {
    const { controller, surface, port } = setup({ chunkBytes: 1000 });
    controller.connect(port);
    const paste = 'x'.repeat(2500);
    surface.paste(paste);
    surface.type('\r');
    while (port.pending.length > 0) await port.settle();
    expect(port.writes.map((chunk) => chunk.length)).toEqual([1000, 1000, 500, 1]);
    expect(port.writtenText).toBe(`${paste}\r`);
  });

  it('queues input typed while connecting and sends it first once connected', async () => {
    const { controller, surface, port } = setup();
    surface.type('whoami\r');
    expect(port.writes).toHaveLength(0);
    controller.connect(port);
    surface.type('id\r');
    while (port.pending.length > 0) await port.settle();
    expect(port.writtenText).toBe('whoami\rid\r');
  });

  it('drops the rest of the queue when main refuses input, and ignores input after the end', async () => {
    const { controller, surface, port } = setup({ chunkBytes: 2 });
    controller.connect(port);
    surface.type('abcdef');
    await port.settle(false);
    expect(port.writes).toHaveLength(1);
    expect(port.pending).toHaveLength(0);
    controller.end('closed');
    surface.type('more');
    await flushMicrotasks();
    expect(port.writes).toHaveLength(1);
  });
});

describe('TerminalController size', () => {
  it('opens the terminal on first attach, fits it, and watches for resizes', () => {
    const { controller, surface, container, watcher } = setup();
    controller.attach(container);
    expect(surface.openedIn).toBe(controller.host);
    expect(container.contains(controller.host)).toBe(true);
    expect(watcher.active).toBe(1);
    controller.detach();
    expect(watcher.active).toBe(0);
    expect(container.contains(controller.host)).toBe(false);
  });

  it('sends the size at once on connect and on every change, but not when unchanged', () => {
    const { controller, surface, container, watcher, port, sizes } = setup();
    controller.attach(container);
    controller.connect(port);
    expect(port.resizes).toEqual([{ cols: 120, rows: 40 }]);
    watcher.trigger();
    expect(port.resizes).toHaveLength(1);
    surface.fitTo = { cols: 90, rows: 30 };
    watcher.trigger();
    expect(port.resizes).toEqual([
      { cols: 120, rows: 40 },
      { cols: 90, rows: 30 },
    ]);
    expect(sizes.at(-1)).toEqual({ cols: 90, rows: 30 });
  });

  it('resends the size on request (the session opened or reconnected)', () => {
    const { controller, container, port } = setup();
    controller.attach(container);
    controller.connect(port);
    controller.resendSize();
    expect(port.resizes).toHaveLength(2);
  });

  it('skips sizes that cannot be measured (hidden terminal)', () => {
    const { controller, surface, container, port } = setup();
    surface.fitTo = undefined;
    controller.attach(container);
    controller.connect(port);
    expect(controller.fit()).toBeUndefined();
    // The initial 80x24 still goes out once connected; no bogus 0x0 ever does.
    expect(port.resizes).toEqual([{ cols: 80, rows: 24 }]);
  });

  it('refits after a font size change', () => {
    const { controller, surface, container, port } = setup();
    controller.attach(container);
    controller.connect(port);
    surface.fitTo = { cols: 100, rows: 30 };
    controller.setAppearance({
      fontSize: 18,
      fontFamily: 'JetBrains Mono',
      lineHeight: 1.2,
      theme: 'dark',
    });
    expect(surface.appearance).toEqual({
      fontSize: 18,
      fontFamily: 'JetBrains Mono',
      lineHeight: 1.2,
      theme: 'dark',
    });
    expect(port.resizes.at(-1)).toEqual({ cols: 100, rows: 30 });
  });
});

describe('TerminalController clipboard and keys', () => {
  it('copies the selection to the clipboard as soon as it changes', () => {
    const { surface, clipboard } = setup();
    surface.select('');
    surface.select('hello');
    expect(clipboard.written).toEqual(['hello']);
  });

  it('survives a refused clipboard', async () => {
    const { surface, clipboard, controller } = setup();
    clipboard.refuse = true;
    surface.select('secret');
    await controller.pasteFromClipboard();
    expect(surface.pasted).toEqual([]);
  });

  it('copies with Ctrl+Shift+C and pastes with Ctrl+Shift+V, keeping both from the remote', async () => {
    const { surface, clipboard, controller, port } = setup();
    controller.connect(port);
    surface.select('abc');
    clipboard.written.length = 0;
    const copy = keyEvent('C', { ctrlKey: true, shiftKey: true });
    expect(surface.keyFilter!(copy)).toBe(false);
    expect(copy.defaultPrevented).toBe(true);
    expect(clipboard.written).toEqual(['abc']);
    clipboard.text = 'pasted text';
    expect(surface.keyFilter!(keyEvent('V', { ctrlKey: true, shiftKey: true }))).toBe(false);
    await flushMicrotasks();
    expect(surface.pasted).toEqual(['pasted text']);
    await port.settle();
    expect(port.writtenText).toBe('pasted text');
  });

  it('leaves app shortcuts to the app and everything else (Ctrl+C included) to the terminal', () => {
    const { surface } = setup({ appKeyFilter: (event) => !(event.ctrlKey && event.key === 'Tab') });
    expect(surface.keyFilter!(keyEvent('Tab', { ctrlKey: true }))).toBe(false);
    expect(surface.keyFilter!(keyEvent('c', { ctrlKey: true }))).toBe(true);
    expect(surface.keyFilter!(keyEvent('a'))).toBe(true);
  });
});

describe('TerminalController keys typed elsewhere', () => {
  it('ignores a keypress whose keydown went to another element (Enter in a rename box)', () => {
    const { surface } = setup();
    const press = (key: string) => new KeyboardEvent('keypress', { key, cancelable: true });
    expect(surface.keyFilter!(press('Enter'))).toBe(false);
    expect(surface.keyFilter!(keyEvent('Enter'))).toBe(true);
    expect(surface.keyFilter!(press('Enter'))).toBe(true);
    expect(surface.keyFilter!(new KeyboardEvent('keyup', { key: 'Enter' }))).toBe(true);
    expect(surface.keyFilter!(press('Enter'))).toBe(false);
  });
});

describe('TerminalController search and teardown', () => {
  it('searches forwards and backwards, ignores empty terms, and clears', () => {
    const { controller, surface } = setup();
    expect(controller.find('', 'next')).toBe(false);
    controller.find('error', 'next', { caseSensitive: true });
    controller.find('error', 'previous');
    controller.clearSearch();
    expect(surface.searches).toEqual([
      { direction: 'next', term: 'error', options: { caseSensitive: true } },
      { direction: 'previous', term: 'error', options: {} },
    ]);
    expect(surface.cleared).toBe(1);
  });

  it('disposes the surface, its listeners and the port subscription', () => {
    const { controller, surface, port, container } = setup();
    controller.attach(container);
    controller.connect(port);
    controller.dispose();
    expect(surface.disposed).toBe(true);
    expect(surface.inputListenerCount).toBe(0);
    expect(port.listenerCount).toBe(0);
    expect(container.contains(controller.host)).toBe(false);
    controller.dispose();
  });
});
