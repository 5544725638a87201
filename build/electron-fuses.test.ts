// The Electron fuses `npm run dist` flips, read from build/electron-builder.yml. The fuses themselves
// are written into the Electron binary at packaging time, so they can only be checked in a packaged
// app (where an Electron binary exists); this test checks the configuration that asks for them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const configFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'electron-builder.yml');

/** The `electronFuses:` block: a flat map of `name: true|false` lines indented under it. */
function fusesBlock(yaml: string): Map<string, string> {
  const lines = yaml.split(/\r?\n/);
  const start = lines.findIndex((line) => /^electronFuses:\s*(#.*)?$/.test(line));
  if (start < 0) throw new Error('build/electron-builder.yml has no electronFuses block');
  const fuses = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const entry = /^ {2}([A-Za-z]+):\s*([^\s#]+)\s*(#.*)?$/.exec(line);
    if (!entry) break;
    const [, name, value] = entry;
    if (name === undefined || value === undefined) break;
    if (fuses.has(name)) throw new Error(`electronFuses lists ${name} twice`);
    fuses.set(name, value);
  }
  return fuses;
}

describe('Electron fuses in the packaging config', () => {
  it('turns off running as Node, NODE_OPTIONS and inspect flags; turns on cookie encryption and asar checks', async () => {
    const fuses = fusesBlock(await readFile(configFile, 'utf8'));
    expect(Object.fromEntries(fuses)).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('records why runAsNode is off', async () => {
    const yaml = await readFile(configFile, 'utf8');
    const comment = yaml.slice(0, yaml.indexOf('electronFuses:'));
    expect(comment).toMatch(/runAsNode is off: the packaged `airlock` command is a CLI mode/);
  });
});
