// Unit test of the real xterm.js surface without a DOM renderer: output is parsed, then acked in batches.
import { describe, expect, it, vi } from 'vitest';
import { FakeClipboard, FakePort, manualResizeWatcher } from '../../testing/terminal-fakes';
import { OUTPUT_ACK_BATCH_BYTES } from '../../../shared/ipc';
import { TerminalController } from './controller';
import { createXtermSurface } from './surface';

vi.hoisted(() => {
  // jsdom has no canvas; xterm copes with a missing 2D context, but jsdom logs loudly.
  HTMLCanvasElement.prototype.getContext = () => null;
});

describe('createXtermSurface', () => {
  it('lets the controller ack output once xterm has parsed it', async () => {
    const surface = createXtermSurface({
      appearance: { fontSize: 14, theme: 'dark' },
      openLink: () => {},
    });
    const controller = new TerminalController({
      surface,
      clipboard: new FakeClipboard(),
      watchResize: manualResizeWatcher(),
    });
    const port = new FakePort();
    controller.connect(port);
    const acked = new Promise<number>((resolve) => {
      const original = port.ack.bind(port);
      port.ack = (bytes) => {
        original(bytes);
        resolve(bytes);
      };
    });
    const line = new TextEncoder().encode('hello \u00e9\r\n');
    const lines = Math.ceil(OUTPUT_ACK_BATCH_BYTES / line.length);
    for (let i = 0; i < lines; i++) port.emit(line);
    expect(await acked).toBe(lines * line.length);
    // Not shown anywhere yet, so there is nothing to measure and no size goes out.
    expect(controller.fit()).toBeUndefined();
    expect(controller.size).toEqual({ cols: 80, rows: 24 });
    controller.dispose();
  });
});
