// What CLI tests share: a command's output stream read as text, with waits for a pattern that are
// checked again on every chunk (never a sleep); a server started on a free loopback port; a
// temporary HOME whose ~/.aws points at a Local sandbox.
import { EventEmitter, once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

export interface TextCapture {
  /** Write the command's output here. */
  readonly stream: PassThrough;
  /** Everything written so far. */
  text(): string;
  /** Resolves with the first match of `pattern` in everything written so far or later. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
}

export function captureText(): TextCapture {
  const stream = new PassThrough();
  let text = '';
  const waiters = new Set<() => void>();
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const wake of [...waiters]) wake();
  });
  return {
    stream,
    text: () => text,
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const check = (): void => {
          const match = pattern.exec(text);
          if (!match) return;
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        check();
      }),
  };
}

/** Anything that listens like net.Server (http.Server included). */
interface Listenable {
  listen(port: number, host: string): unknown;
  address(): AddressInfo | string | null;
  once(event: 'listening', listener: () => void): unknown;
}

/** Starts `server` on a free port of 127.0.0.1; resolves with the port. */
export async function listenOnLoopback(server: Listenable): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server as unknown as NodeJS.EventEmitter, 'listening');
  return (server.address() as AddressInfo).port;
}

/** The sandbox's endpoint and access key, as `[default]` in a new temporary HOME's ~/.aws. */
export async function awsHomeFor(
  sandbox: { region: string; endpoint: string; credentials: AwsKeyPair },
  prefix: string,
): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(home, '.aws'));
  await writeFile(
    join(home, '.aws', 'config'),
    `[default]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.endpoint}\n`,
  );
  await writeFile(
    join(home, '.aws', 'credentials'),
    `[default]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`,
  );
  return home;
}

interface AwsKeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What a CLI command run in-process is given (runCli's io), with its output captured. */
export function capturedIo(env: Record<string, string>) {
  const out = captureText();
  const err = captureText();
  const signals = new EventEmitter();
  const io = { stdin: new PassThrough(), stdout: out.stream, stderr: err.stream, env, signals };
  return { io, out, err, signals };
}
