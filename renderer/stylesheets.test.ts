// The stylesheets' contract: custom properties are defined in tokens.css alone (or set inline by a
// component), every var() names one that exists, and main.tsx imports every stylesheet.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const rendererDir = path.dirname(fileURLToPath(import.meta.url));

interface Stylesheet {
  readonly name: string;
  readonly text: string;
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, pattern);
    return pattern.test(entry.name) ? [full] : [];
  });
}

function read(file: string): Stylesheet {
  return { name: path.relative(rendererDir, file), text: readFileSync(file, 'utf8') };
}

const withoutComments = (css: string) => css.replace(/\/\*[\s\S]*?\*\//g, '');

/** Custom properties a stylesheet declares (`--name: value`, not a selector like `.a--b:hover`). */
function definedIn(css: string): Set<string> {
  return new Set(
    Array.from(withoutComments(css).matchAll(/(?:^|[{;])\s*(--[\w-]+)\s*:/g), (match) => match[1]!),
  );
}

/** Custom properties a stylesheet reads with var(), fallback or not. */
function usedIn(css: string): Set<string> {
  return new Set(
    Array.from(withoutComments(css).matchAll(/var\(\s*(--[\w-]+)/g), (match) => match[1]!),
  );
}

/** Each var() whose property no stylesheet defines and no component sets, as "file: --name". */
function undefinedProperties(
  stylesheets: readonly Stylesheet[],
  setInline: ReadonlySet<string>,
): string[] {
  const defined = new Set([
    ...setInline,
    ...stylesheets.flatMap((sheet) => [...definedIn(sheet.text)]),
  ]);
  return stylesheets.flatMap((sheet) =>
    [...usedIn(sheet.text)]
      .filter((name) => !defined.has(name))
      .map((name) => `${sheet.name}: ${name}`),
  );
}

/** Custom properties components set in a style object (`['--columns' as string]: ...`). */
function setByComponents(): Set<string> {
  const sources = filesUnder(rendererDir, /\.tsx?$/).filter((file) => !/\.test\.tsx?$/.test(file));
  return new Set(
    sources.flatMap((file) =>
      Array.from(
        readFileSync(file, 'utf8').matchAll(/\[\s*'(--[\w-]+)'(?: as string)?\s*\]\s*:/g),
        (m) => m[1]!,
      ),
    ),
  );
}

const stylesheets = filesUnder(rendererDir, /\.css$/).map(read);
const tokens = stylesheets.find((sheet) => sheet.name === 'tokens.css');

describe('renderer stylesheets', () => {
  it('are all there, tokens included', () => {
    expect(tokens).toBeDefined();
    expect(stylesheets.length).toBeGreaterThan(1);
  });

  it('read only custom properties that are defined', () => {
    expect(undefinedProperties(stylesheets, setByComponents())).toEqual([]);
  });

  it('the check finds a var() of a property defined nowhere, with or without a fallback', () => {
    const planted: Stylesheet[] = [
      { name: 'tokens.css', text: ':root {\n  --warn: #b7791f;\n}\n' },
      {
        name: 'planted.css',
        text: '.a--b:hover {\n  color: var(--warning, #b9770e);\n  border-color: var(--warn);\n  width: var( --gap);\n}\n/* var(--in-a-comment) */\n',
      },
    ];
    expect(undefinedProperties(planted, new Set())).toEqual([
      'planted.css: --warning',
      'planted.css: --gap',
    ]);
    expect(undefinedProperties(planted, new Set(['--warning', '--gap']))).toEqual([]);
  });

  it('define custom properties in tokens.css only', () => {
    const elsewhere = stylesheets
      .filter((sheet) => sheet !== tokens)
      .flatMap((sheet) => [...definedIn(sheet.text)].map((name) => `${sheet.name}: ${name}`));
    expect(elsewhere).toEqual([]);
  });

  it('give the dark theme only tokens the light theme has', () => {
    const text = withoutComments(tokens?.text ?? '');
    const dark = text.indexOf(":root[data-theme='dark']");
    expect(dark).toBeGreaterThan(0);
    const light = definedIn(text.slice(0, dark));
    expect([...definedIn(text.slice(dark))].filter((name) => !light.has(name))).toEqual([]);
  });

  it('are each imported by the entry, the tokens first', () => {
    const entry = readFileSync(path.join(rendererDir, 'main.tsx'), 'utf8');
    const imported = Array.from(
      entry.matchAll(/^import '\.\/(.+\.css)';$/gm),
      (match) => match[1]!,
    );
    expect([...imported].sort()).toEqual(stylesheets.map((sheet) => sheet.name).sort());
    expect(imported[0]).toBe('tokens.css');
  });
});
