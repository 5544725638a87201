// The sandbox's SSH server: Debian's OpenSSH sshd, run as the local user on a loopback port that
// stands for port 22 of every sandbox instance. It accepts only keys pushed with SendSSHPublicKey,
// and only while they live: its AuthorizedKeysFile is a file the sandbox rewrites whenever a key is
// pushed or expires (sshd reads it afresh for every login). Running as the local user, sshd can
// log in no one else: whatever OS user a key was pushed for, the login is the local user's, so
// clients connect as `$(id -un)`.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Disposable } from '../core/base/lifecycle';
import type { PushedSshKeys } from './ssh-keys';

/** Where Debian's openssh-server and openssh-client put their programs. */
export const SSHD_PROGRAM = '/usr/sbin/sshd';
export const SSH_KEYGEN_PROGRAM = '/usr/bin/ssh-keygen';

/** The port an instance's SSH server listens on; the agent's dials to it reach the sandbox's sshd. */
export const INSTANCE_SSH_PORT = 22;

export function sshdAvailable(): boolean {
  return existsSync(SSHD_PROGRAM) && existsSync(SSH_KEYGEN_PROGRAM);
}

export interface SandboxSshd {
  /** The loopback port sshd listens on. */
  readonly port: number;
  close(): Promise<void>;
}

export class SshdError extends Error {
  override readonly name = 'SshdError';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function runToEnd(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new SshdError(`${file} failed: ${stderr.trim()}`)),
    );
  });
}

function sshdConfig(dir: string, port: number): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_ed25519_key')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    // The directory is the sandbox's temporary one; its modes are not the user's home's.
    'StrictModes no',
    'PidFile none',
    // scp and sftp speak the SFTP protocol; the in-process server needs no helper program.
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    '',
  ].join('\n');
}

/** The authorized_keys content: the keys still alive, one per line. */
function authorizedKeys(keys: PushedSshKeys): string {
  const lines = keys
    .live()
    .map((key) => `${key.publicKey}`)
    .join('\n');
  return `# Written by the Airlock sandbox: keys pushed with SendSSHPublicKey, while they live.\n${lines}\n`;
}

/** Started sshd: resolves once it listens, rejects with its log if it exits first. */
function startDaemon(configFile: string, port: number): Promise<ChildProcess> {
  const child = spawn(SSHD_PROGRAM, ['-D', '-e', '-f', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the start-up log is kept; later lines (one per login) are read and dropped.
      if (log.length < 64 * 1024) log += chunk.toString();
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) resolve(child);
    });
    child.once('exit', () => reject(new SshdError(`sshd exited: ${log.trim()}`)));
  });
}

/**
 * Starts sshd for the sandbox in a private temporary directory with a fresh host key, keeping its
 * authorized_keys in step with `keys`.
 */
export async function startSandboxSshd(keys: PushedSshKeys): Promise<SandboxSshd> {
  if (!sshdAvailable()) {
    throw new SshdError(`the sandbox's SSH server needs ${SSHD_PROGRAM} (Debian's openssh-server)`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'airlock-sshd-'));
  const keysFile = path.join(dir, 'authorized_keys');
  const writeKeys = (): void => {
    // Synchronous, so a key is usable as soon as SendSSHPublicKey has answered.
    const temporary = `${keysFile}.new`;
    writeFileSync(temporary, authorizedKeys(keys), { mode: 0o600 });
    renameSync(temporary, keysFile);
  };
  let subscription: Disposable | undefined;
  try {
    await runToEnd(SSH_KEYGEN_PROGRAM, [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-f',
      path.join(dir, 'host_ed25519_key'),
    ]);
    writeKeys();
    subscription = keys.onChange(writeKeys);
    // Run as root, sshd insists on its privilege-separation directory, which only its init script makes.
    if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const { child, port } = await listenOnSomePort(dir);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let closing: Promise<void> | undefined;
    return {
      port,
      close() {
        closing ??= (async () => {
          subscription?.dispose();
          child.kill('SIGTERM');
          await exited;
          await rm(dir, { recursive: true, force: true });
        })();
        return closing;
      },
    };
  } catch (error) {
    subscription?.dispose();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** sshd needs a fixed port: take a free one from the kernel; if another process got it first, again. */
async function listenOnSomePort(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const configFile = path.join(dir, 'sshd_config');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    await writeFile(configFile, sshdConfig(dir, port), { mode: 0o600 });
    try {
      return { child: await startDaemon(configFile, port), port };
    } catch (error) {
      lastError = error;
      if (!String(error).includes('Address already in use')) break;
    }
  }
  throw lastError;
}

export type SocketDialer = (port: number, host: string) => Socket;

/**
 * The agent's dialer for a sandbox with sshd: a port session to port 22 of the instance itself
 * reaches sshd's loopback port; everything else is dialed by `base` as it is.
 */
export function dialerWithSshd(sshdPort: number, base?: SocketDialer): SocketDialer {
  const dial: SocketDialer = base ?? ((port, host) => connect({ port, host }));
  return (port, host) =>
    dial(port === INSTANCE_SSH_PORT && isLoopback(host) ? sshdPort : port, host);
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}
