// The preload stays mechanical and small: bundled exactly as the build does, it holds no schema
// code (main validates every request) and weighs under 20 KB.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nodeBundles } from '../../build/bundles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the preload bundle', () => {
  it('is under 20 KB and carries no zod', async () => {
    const result = await build({ ...nodeBundles(root, '0.0.0-test').preload, write: false });
    const bundle = result.outputFiles?.find((file) => file.path.endsWith('.cjs'));
    expect(bundle).toBeDefined();
    expect(bundle!.contents.byteLength).toBeLessThan(20 * 1024);
    expect(bundle!.text).not.toMatch(/zod|safeParse/);
    expect(bundle!.text).toContain('exposeInMainWorld');
  });
});
