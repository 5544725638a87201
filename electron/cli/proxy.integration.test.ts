// The airlock command behind a corporate proxy and a private CA: the Local sandbox serves HTTPS
// and WSS with a throwaway CA under a name that only the test proxy resolves, so every byte that
// arrives went through the proxy's CONNECT tunnels.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { startTestProxy, type TestProxy } from '../core/testing/connect-proxy';
import { createThrowawayPki, type ThrowawayPki } from '../core/testing/throwaway-ca';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entryScript = fileURLToPath(new URL('./entry.ts', import.meta.url));

/** Reserved for tests (RFC 6761): never resolvable outside the test proxy. */
const SANDBOX_NAME = 'sandbox.airlock.test';

/** A fresh ed25519 public key as an authorized_keys line (RFC 8709's wire form, base64). */
function openSshPublicKey(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  // The SPKI DER of an ed25519 key ends with its 32 raw bytes.
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw.subarray(-32))]);
  return `ssh-ed25519 ${blob.toString('base64')} airlock-test`;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `airlock ARGS` in its own process with only the variables given (plus PATH). */
function airlock(args: string[], env: Record<string, string>): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entryScript, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('airlock behind an HTTPS proxy with a private CA', () => {
  let pki: ThrowawayPki;
  let otherPki: ThrowawayPki;
  let proxy: TestProxy;
  let sandbox: Sandbox;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    pki = createThrowawayPki([SANDBOX_NAME]);
    otherPki = createThrowawayPki([SANDBOX_NAME]);
    [proxy, sandbox] = await Promise.all([
      startTestProxy({ hosts: { [SANDBOX_NAME]: '127.0.0.1' } }),
      startSandbox({
        pacing: false,
        tls: { key: pki.key, cert: pki.cert, hostName: SANDBOX_NAME },
      }),
    ]);
    home = mkdtempSync(path.join(tmpdir(), 'airlock-proxy-home-'));
    env = {
      HOME: home,
      AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
      AWS_REGION: sandbox.region,
      AWS_ENDPOINT_URL: sandbox.endpoint,
      HTTPS_PROXY: proxy.url,
      AWS_CA_BUNDLE: pki.caFile,
    };
  });

  afterAll(async () => {
    await sandbox?.close();
    await proxy?.close();
    pki?.dispose();
    otherPki?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const tunnelsToSandbox = () =>
    proxy.tunnels.filter((target) => target === `${SANDBOX_NAME}:${sandbox.port}`).length;

  it('lists instances through the proxy, trusting AWS_CA_BUNDLE', async () => {
    expect(sandbox.endpoint).toBe(`https://${SANDBOX_NAME}:${sandbox.port}`);
    const before = tunnelsToSandbox();
    const run = await airlock(['ls'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('web-1');
    expect(tunnelsToSandbox()).toBeGreaterThan(before);
  });

  it('runs a session whose API calls and WSS data channel both go through the proxy', async () => {
    const before = tunnelsToSandbox();
    const run = await airlock(
      [
        'shell',
        'web-1',
        '--document',
        'AWS-StartNonInteractiveCommand',
        '--parameters',
        '{"command":["echo through-the-$((6*7))-tunnel"]}',
      ],
      env,
    );
    expect(run.stdout).toContain('through-the-42-tunnel');
    expect(run.code).toBe(0);
    // At least the API calls (instance by name, StartSession) and the WebSocket.
    expect(tunnelsToSandbox()).toBeGreaterThanOrEqual(before + 2);
  });

  it("trusts the profile's ca_bundle for the session's API calls and WSS data channel", async () => {
    // No AWS_CA_BUNDLE: only [default]'s ca_bundle names the CA (a home of its own, so the
    // other cases keep theirs).
    const caHome = mkdtempSync(path.join(tmpdir(), 'airlock-ca-bundle-home-'));
    try {
      mkdirSync(path.join(caHome, '.aws'));
      writeFileSync(path.join(caHome, '.aws', 'config'), `[default]\nca_bundle = ${pki.caFile}\n`);
      const { AWS_CA_BUNDLE: _unused, ...withoutCaBundle } = env;
      const run = await airlock(
        [
          'shell',
          'web-1',
          '--document',
          'AWS-StartNonInteractiveCommand',
          '--parameters',
          '{"command":["echo trusted-by-$((6*7))-profile"]}',
        ],
        { ...withoutCaBundle, HOME: caHome },
      );
      expect(run.stdout).toContain('trusted-by-42-profile');
      expect(run.code).toBe(0);
    } finally {
      rmSync(caHome, { recursive: true, force: true });
    }
  });

  it("trusts the profile's ca_bundle for the EC2 Instance Connect key push of ssh-proxy", async () => {
    const caHome = mkdtempSync(path.join(tmpdir(), 'airlock-ca-bundle-home-'));
    try {
      mkdirSync(path.join(caHome, '.aws'));
      writeFileSync(path.join(caHome, '.aws', 'config'), `[default]\nca_bundle = ${pki.caFile}\n`);
      const publicKey = openSshPublicKey();
      writeFileSync(path.join(caHome, 'key.pub'), `${publicKey}\n`);
      const { AWS_CA_BUNDLE: _unused, ...withoutCaBundle } = env;
      // The sandbox runs no sshd here: the session after the push fails, the push is the point.
      const run = await airlock(
        ['ssh-proxy', '--push-key', path.join(caHome, 'key.pub'), '--user', 'ops', 'web-1'],
        { ...withoutCaBundle, HOME: caHome },
      );
      expect(run.stderr).not.toContain('cannot push a key');
      // The key lives 60 s on the sandbox, as on AWS: far longer than the run.
      const key = sandbox.sshKeys.live().find((live) => live.publicKey === publicKey);
      expect(key?.osUser).toBe('ops');
    } finally {
      rmSync(caHome, { recursive: true, force: true });
    }
  });

  it('goes direct for hosts in NO_PROXY (and the name only the proxy knows then fails)', async () => {
    const before = proxy.tunnels.length;
    const run = await airlock(['ls'], { ...env, NO_PROXY: 'localhost,.airlock.test' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(proxy.tunnels.length).toBe(before);
  });

  it('says the certificate is not trusted when the CA is wrong, and names an unreachable proxy', async () => {
    const wrongCa = await airlock(['ls'], { ...env, AWS_CA_BUNDLE: otherPki.caFile });
    expect(wrongCa.code).not.toBe(0);
    expect(wrongCa.stderr).toContain(
      "The server's certificate is not trusted (unable to verify the first certificate)",
    );
    expect(wrongCa.stdout).not.toContain('web-1');

    const closedProxy = await startTestProxy();
    const closedUrl = closedProxy.url;
    await closedProxy.close();
    const noProxy = await airlock(['ls'], { ...env, HTTPS_PROXY: closedUrl });
    expect(noProxy.code).not.toBe(0);
    expect(noProxy.stderr).toContain(`Proxy ${closedUrl} could not be reached`);
  });
});
