import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { USAGE, runCli, type CliIo } from './main';
import { CLIENT_VERSION } from '../core/datachannel/client-version';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const cliIo = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env: {},
  } as unknown as CliIo;
  return { cliIo, out: () => out, err: () => err };
}

describe('runCli', () => {
  it('prints the version', async () => {
    const a = io();
    await expect(runCli(['--version'], a.cliIo)).resolves.toBe(0);
    expect(a.out()).toBe(`${CLIENT_VERSION}\n`);
  });

  it('prints help, and usage with status 2 when there is no command', async () => {
    const a = io();
    await expect(runCli(['--help'], a.cliIo)).resolves.toBe(0);
    expect(a.out()).toBe(USAGE);
    const b = io();
    await expect(runCli([], b.cliIo)).resolves.toBe(2);
    expect(b.out()).toBe(USAGE);
  });

  it('rejects an unknown command with usage and status 2', async () => {
    const a = io();
    await expect(runCli(['teleport'], a.cliIo)).resolves.toBe(2);
    expect(a.err()).toBe(`airlock: unknown command 'teleport'\n\n${USAGE}`);
  });

  it('dispatches plugin and sandbox', async () => {
    const a = io();
    await expect(runCli(['plugin', '--version'], a.cliIo)).resolves.toBe(0);
    expect(a.out()).toBe(`${CLIENT_VERSION}\n`);
    const b = io();
    await expect(runCli(['sandbox', '--help'], b.cliIo)).resolves.toBe(0);
    expect(b.out()).toMatch(/^Usage: airlock sandbox/);
  });
});
