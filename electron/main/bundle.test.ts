// The app's main process and browser-mode server load lazily: built exactly as the build does,
// what their entry files load at start (the entry and its static imports) holds neither the Local
// sandbox's emulator nor the KMS or EC2 Instance Connect clients, which come in chunks of their own
// when the app runs on the sandbox, a session is encrypted or an SSH key is pushed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeBundles } from '../../build/bundles.mjs';
import { outputOf, sourcesOf, staticClosure } from '../core/testing/bundle-graph';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const onDemandOnly = [
  /^electron\/emulator\//,
  /node_modules\/@aws-sdk\/client-kms\//,
  /node_modules\/@aws-sdk\/client-ec2-instance-connect\//,
];

describe.each([
  { bundle: 'main', entry: 'electron/main/main.ts' },
  { bundle: 'web', entry: 'electron/core/web/entry.ts' },
] as const)('the $bundle bundle', ({ bundle, entry }) => {
  let metafile: Metafile;

  beforeAll(async () => {
    const result = await build({
      ...nodeBundles(root, '0.0.0-test')[bundle],
      write: false,
      metafile: true,
    });
    metafile = result.metafile;
  });

  it('starts without the emulator, KMS or EC2 Instance Connect', () => {
    const atStart = sourcesOf(metafile, staticClosure(metafile, outputOf(metafile, entry)));
    expect(atStart).toContain('electron/core/app.ts');
    expect(atStart.filter((source) => onDemandOnly.some((rule) => rule.test(source)))).toEqual([]);
  });

  it('has the sandbox and KMS in chunks it imports when they are needed', () => {
    const sandbox = sourcesOf(
      metafile,
      staticClosure(metafile, outputOf(metafile, 'electron/emulator/starter.ts')),
    );
    expect(sandbox).toContain('electron/emulator/sandbox.ts');
    const kms = sourcesOf(
      metafile,
      staticClosure(metafile, outputOf(metafile, 'electron/core/aws/kms-api.ts')),
    );
    expect(kms.some((source) => /node_modules\/@aws-sdk\/client-kms\//.test(source))).toBe(true);
  });
});
