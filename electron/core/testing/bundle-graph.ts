// Reading an esbuild metafile as a module graph, for the tests that check what each bundle loads
// at start: the static imports of an output file are loaded with it, dynamic ones only on demand.
import { isBuiltin } from 'node:module';
import type { Metafile } from 'esbuild';

/** Output files loaded with `file`: it and everything it imports statically, transitively. */
export function staticClosure(metafile: Metafile, file: string): Set<string> {
  const loaded = new Set<string>();
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (loaded.has(next)) continue;
    loaded.add(next);
    for (const imported of metafile.outputs[next]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.external !== true) {
        pending.push(imported.path);
      }
    }
  }
  return loaded;
}

/** Source files (relative to the repository) whose code is in those outputs. */
export function sourcesOf(metafile: Metafile, outputs: Iterable<string>): string[] {
  return [...outputs].flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {}));
}

/** Modules loaded by their bare name at run time (left outside the bundle) from those outputs. */
export function externalsOf(metafile: Metafile, outputs: Iterable<string>): string[] {
  return [...outputs].flatMap((output) =>
    (metafile.outputs[output]?.imports ?? [])
      .filter(
        (imported) =>
          imported.external === true && !isBuiltin(imported.path) && !imported.path.startsWith('.'),
      )
      .map((imported) => imported.path),
  );
}

/** The output file whose entry point is `source` (an entry, or a module imported dynamically). */
export function outputOf(metafile: Metafile, source: string): string {
  const found = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint === source);
  if (!found) throw new Error(`no output has ${source} as its entry point`);
  return found[0];
}
