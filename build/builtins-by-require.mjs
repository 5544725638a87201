// Loads Node's built-in modules with require() in the ESM bundles. When an ES module imports a
// built-in, Node builds a facade module for it and copies every export into it, which runs the
// built-in's lazy getters: `node:crypto` loads Web Crypto, `node:tls` parses Node's root
// certificates, `node:fs` its promises API. For the dozen built-ins a CLI session imports that was
// tens of milliseconds before its first output (e2e/bench `plugin-first-output`). require() hands
// back the built-in's exports object as it is, so a getter runs only when its export is used.

import { builtinModules } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const builtins = new Set(builtinModules);

function isBuiltin(specifier) {
  return builtins.has(specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier);
}

/**
 * A static import statement as esbuild prints one at the start of a line: default, namespace or
 * named bindings (the braces may span lines), or none, and a double-quoted specifier.
 */
const importStatement =
  /^import (?:([\w$]+)(?:, )?)?(?:\* as ([\w$]+)|(\{[^}]*\}))?(?: from )?"([^"\n]+)";$/gm;

/**
 * The statement that binds what an import statement bound from a built-in, on as many lines:
 * named imports become a destructuring pattern (`b as c` is `b: c`); a default or namespace
 * import, or `default as d`, is the exports object itself, as a built-in's default export is.
 */
function requireStatement(specifier, defaultName, namespace, named) {
  const load = `require(${JSON.stringify(specifier)})`;
  const wholes = [defaultName, namespace].filter((name) => name !== undefined);
  const kept = [];
  let droppedNewlines = '';
  for (const entry of named === undefined ? [] : named.slice(1, -1).split(',')) {
    const parts = /^(\s*)([\w$]+)(?: as ([\w$]+))?(\s*)$/.exec(entry);
    if (!parts) {
      if (entry.trim() === '') continue;
      throw new Error(`builtins-by-require: cannot read the import of ${specifier}: ${named}`);
    }
    const [, before, imported, local, after] = parts;
    if (imported === 'default') {
      wholes.push(local ?? imported);
      droppedNewlines += entry.replace(/[^\n]/g, '');
    } else
      kept.push(`${before}${local === undefined ? imported : `${imported}: ${local}`}${after}`);
  }
  const declarations = [];
  if (wholes.length > 0) {
    declarations.push(
      `${wholes[0]} = ${load}`,
      ...wholes.slice(1).map((name) => `${name} = ${wholes[0]}`),
    );
  }
  if (kept.length > 0) {
    declarations.push(`{${kept.join(',')}${droppedNewlines}} = ${wholes[0] ?? load}`);
    droppedNewlines = '';
  }
  if (declarations.length === 0) return `${load};${droppedNewlines}`;
  return `const ${declarations.join(', ')};${droppedNewlines}`;
}

/**
 * The text with every static import of a built-in turned into a require() of it, on the same
 * lines, so source maps stay valid. The bundle's banner defines `require` before these lines.
 */
export function rewriteBuiltinImports(text) {
  return text.replace(importStatement, (statement, defaultName, namespace, named, specifier) =>
    isBuiltin(specifier) ? requireStatement(specifier, defaultName, namespace, named) : statement,
  );
}

/**
 * The esbuild plugin: builds in memory, rewrites the JavaScript outputs, then writes them itself
 * unless the caller asked for no writing (the bundle tests read the metafile only).
 */
export const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(build) {
    const writeOutputs = build.initialOptions.write !== false;
    build.initialOptions.write = false;
    build.onEnd(async (result) => {
      if (!result.outputFiles) return;
      result.outputFiles = result.outputFiles.map((file) => {
        if (!/\.m?js$/.test(file.path)) return file;
        const contents = Buffer.from(rewriteBuiltinImports(file.text));
        return { path: file.path, contents, hash: file.hash, text: contents.toString('utf8') };
      });
      if (!writeOutputs) return;
      await Promise.all(
        result.outputFiles.map(async (file) => {
          await mkdir(path.dirname(file.path), { recursive: true });
          await writeFile(file.path, file.contents);
        }),
      );
    });
  },
};
