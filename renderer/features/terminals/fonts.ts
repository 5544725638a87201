// The terminal's fonts: the bundled font's files (woff2 in the renderer bundle, so no network and
// the same glyphs on every machine), the CSS font list built from the user's choice, and loading a
// face before xterm measures its cells (xterm measures once and does not notice a late font).
import '@fontsource/jetbrains-mono/400.css';
import '@fontsource/jetbrains-mono/700.css';
import { BUNDLED_TERMINAL_FONT } from '../../../shared/domain';

/**
 * The user's font first, the bundled one for anything it lacks (or when it is not installed),
 * then whatever monospace the system has. The name was validated in main, so quoting is safe.
 */
export function terminalFontStack(family: string): string {
  const fonts = family === BUNDLED_TERMINAL_FONT ? [family] : [family, BUNDLED_TERMINAL_FONT];
  return [...fonts.map((name) => `"${name}"`), 'monospace'].join(', ');
}

/** The part of `document.fonts` this needs. */
export interface FontLoader {
  load(font: string): Promise<unknown>;
}

/**
 * Loads the regular and bold faces of the stack at `size` px; resolves when they are usable or
 * known to be missing (a font that is not installed is not an error: the stack falls back).
 */
export async function loadTerminalFonts(
  fonts: FontLoader,
  family: string,
  size: number,
): Promise<void> {
  const stack = terminalFontStack(family);
  await Promise.allSettled([
    fonts.load(`${size}px ${stack}`),
    fonts.load(`bold ${size}px ${stack}`),
  ]);
}
