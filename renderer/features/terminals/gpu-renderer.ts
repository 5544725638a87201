// The WebGL renderer where the GPU allows it, xterm's DOM renderer where it does not: WebGL draws
// large, fast output far cheaper, but it is missing on some machines (and in headless browsers),
// and a GPU reset or driver update can take the context away at any time.
import type { ITerminalAddon, Terminal } from '@xterm/xterm';

export type RendererKind = 'webgl' | 'dom';

/** The part of `WebglAddon` this needs, so tests can pass one that fails or loses its context. */
export interface GpuRendererAddon extends ITerminalAddon {
  readonly onContextLoss: (listener: () => void) => { dispose(): void };
  clearTextureAtlas(): void;
  dispose(): void;
}

export interface GpuRenderer {
  readonly kind: RendererKind;
  /** Redraws glyphs from scratch (after a font finished loading or changed). */
  clearGlyphs(): void;
  dispose(): void;
}

/**
 * Loads the WebGL renderer into an opened terminal; on any failure, now or later (context loss),
 * the addon is disposed, which puts xterm's DOM renderer back, and `onChange` is told.
 */
export function loadGpuRenderer(
  terminal: Pick<Terminal, 'loadAddon'>,
  createAddon: () => GpuRendererAddon,
  onChange: (kind: RendererKind) => void,
): GpuRenderer {
  let addon: GpuRendererAddon | undefined;
  let kind: RendererKind = 'dom';
  const fallBack = () => {
    const failed = addon;
    addon = undefined;
    kind = 'dom';
    try {
      failed?.dispose();
    } catch {
      // A half-activated addon may fail to dispose; the DOM renderer is what matters.
    }
    onChange('dom');
  };
  try {
    addon = createAddon();
    terminal.loadAddon(addon);
    const loaded = addon;
    loaded.onContextLoss(() => {
      if (addon === loaded) fallBack();
    });
    kind = 'webgl';
    onChange('webgl');
  } catch {
    fallBack();
  }
  return {
    get kind() {
      return kind;
    },
    clearGlyphs() {
      addon?.clearTextureAtlas();
    },
    dispose() {
      const current = addon;
      addon = undefined;
      current?.dispose();
    },
  };
}
