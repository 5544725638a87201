// The renderer choice: WebGL when the addon loads, xterm's DOM renderer when it fails at once or
// loses its context later, told to the surface each time.
import { describe, expect, it } from 'vitest';
import { loadGpuRenderer, type GpuRendererAddon, type RendererKind } from './gpu-renderer';

class FakeGpuAddon implements GpuRendererAddon {
  disposed = 0;
  atlasCleared = 0;
  private readonly lossListeners = new Set<() => void>();
  constructor(private readonly failToActivate = false) {}
  activate(): void {
    if (this.failToActivate) throw new Error('WebGL2 not supported');
  }
  onContextLoss = (listener: () => void) => {
    this.lossListeners.add(listener);
    return { dispose: () => this.lossListeners.delete(listener) };
  };
  loseContext(): void {
    for (const listener of [...this.lossListeners]) listener();
  }
  clearTextureAtlas(): void {
    this.atlasCleared++;
  }
  dispose(): void {
    this.disposed++;
  }
}

/** A terminal whose loadAddon activates the addon, as xterm's does. */
const terminal = {
  loadAddon(addon: GpuRendererAddon) {
    addon.activate(undefined as never);
  },
};

describe('loadGpuRenderer', () => {
  it('uses WebGL when the addon loads, and clears its glyphs on request', () => {
    const addon = new FakeGpuAddon();
    const kinds: RendererKind[] = [];
    const gpu = loadGpuRenderer(
      terminal,
      () => addon,
      (kind) => kinds.push(kind),
    );
    expect(gpu.kind).toBe('webgl');
    expect(kinds).toEqual(['webgl']);
    gpu.clearGlyphs();
    expect(addon.atlasCleared).toBe(1);
    gpu.dispose();
    expect(addon.disposed).toBe(1);
  });

  it('falls back to the DOM renderer when WebGL is not available', () => {
    const addon = new FakeGpuAddon(true);
    const kinds: RendererKind[] = [];
    const gpu = loadGpuRenderer(
      terminal,
      () => addon,
      (kind) => kinds.push(kind),
    );
    expect(gpu.kind).toBe('dom');
    expect(kinds).toEqual(['dom']);
    expect(addon.disposed).toBe(1);
    gpu.clearGlyphs();
    expect(addon.atlasCleared).toBe(0);
  });

  it('falls back when even creating the addon fails', () => {
    const kinds: RendererKind[] = [];
    const gpu = loadGpuRenderer(
      terminal,
      () => {
        throw new Error('Webgl2 is only supported on Safari 16 and above');
      },
      (kind) => kinds.push(kind),
    );
    expect(gpu.kind).toBe('dom');
    expect(kinds).toEqual(['dom']);
  });

  it('falls back once when the GPU takes the context away', () => {
    const addon = new FakeGpuAddon();
    const kinds: RendererKind[] = [];
    const gpu = loadGpuRenderer(
      terminal,
      () => addon,
      (kind) => kinds.push(kind),
    );
    addon.loseContext();
    addon.loseContext();
    expect(gpu.kind).toBe('dom');
    expect(kinds).toEqual(['webgl', 'dom']);
    expect(addon.disposed).toBe(1);
    gpu.dispose();
    expect(addon.disposed).toBe(1);
  });
});
