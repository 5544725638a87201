// Text contrast of the design tokens: every text colour on every background colour reaches 4.5:1
// (WCAG AA for normal text) in both themes, and the stylesheets colour text with tokens only, so
// this check covers what is on screen.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const rendererDir = path.dirname(fileURLToPath(import.meta.url));
const tokensCss = readFileSync(path.join(rendererDir, 'tokens.css'), 'utf8').replace(
  /\/\*[\s\S]*?\*\//g,
  '',
);

const TEXT = ['--text', '--text-muted', '--accent', '--ok', '--warn', '--danger', '--sandbox'];
const BACKGROUNDS = [
  '--bg',
  '--surface',
  '--surface-2',
  '--surface-hover',
  '--selection',
  '--accent-soft',
  '--warn-soft',
  '--danger-soft',
  '--sandbox-soft',
];
/** Text drawn on a strong colour: [text, background]. */
const ON_COLOUR = [
  ['--accent-text', '--accent'],
  ['--danger-text', '--danger'],
] as const;

function colours(block: string): Map<string, string> {
  return new Map(
    Array.from(block.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g), (m) => [m[1]!, m[2]!]),
  );
}

const darkAt = tokensCss.indexOf(":root[data-theme='dark']");
const light = colours(tokensCss.slice(0, darkAt));
const dark = new Map([...light, ...colours(tokensCss.slice(darkAt))]);

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const c = parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Each pair below 4.5:1, as "theme: text on background = ratio". */
function lowContrast(theme: string, palette: Map<string, string>): string[] {
  const pairs: (readonly [string, string])[] = [
    ...TEXT.flatMap((text) => BACKGROUNDS.map((bg) => [text, bg] as const)),
    ...ON_COLOUR,
  ];
  return pairs.flatMap(([text, bg]) => {
    const [fg, back] = [palette.get(text), palette.get(bg)];
    if (fg === undefined || back === undefined) return [`${theme}: ${text} or ${bg} is missing`];
    const ratio = contrast(fg, back);
    return ratio >= 4.5 ? [] : [`${theme}: ${text} on ${bg} = ${ratio.toFixed(2)}`];
  });
}

function stylesheetsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return stylesheetsUnder(full);
    return entry.name.endsWith('.css') && entry.name !== 'tokens.css' ? [full] : [];
  });
}

describe('token contrast', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('keeps every text colour at 4.5:1 or more on every background, in both themes', () => {
    expect([...lowContrast('light', light), ...lowContrast('dark', dark)]).toEqual([]);
  });

  it('finds a pair that is too faint', () => {
    const faint = new Map([...light, ['--warn', '#b7791f']]);
    expect(lowContrast('light', faint)).toContain('light: --warn on --surface = 3.64');
  });

  it('colours text in the stylesheets with tokens only', () => {
    const literal = stylesheetsUnder(rendererDir).flatMap((file) =>
      Array.from(readFileSync(file, 'utf8').matchAll(/(?:^|[\s;{])color:\s*([^;]+);/g), (m) =>
        m[1]!.trim(),
      )
        .filter((value) => !/^(var\(--[\w-]+\)( !important)?|inherit|currentColor)$/.test(value))
        .map((value) => `${path.relative(rendererDir, file)}: color: ${value}`),
    );
    expect(literal).toEqual([]);
  });
});
