import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createSsmApi, type SsmApi } from '../core/aws/ssm-api';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { CLIENT_VERSION } from '../core/datachannel/client-version';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entryScript = fileURLToPath(new URL('./entry.ts', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout contains `needle`. */
  until(needle: string): Promise<void>;
  exit: Promise<number | null>;
}

/** Runs `airlock plugin ARGS` in its own Node process, as the AWS CLI would. */
function runPlugin(args: string[], env: Record<string, string> = {}): Run {
  return runAirlock(['plugin', ...args], env);
}

function runAirlock(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', entryScript, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { needle: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const waiter of waiters.splice(0)) {
      if (out.includes(waiter.needle)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    until: (needle) =>
      new Promise((resolve, reject) => {
        if (out.includes(needle)) return resolve();
        waiters.push({ needle, resolve });
        void exit.then(() => {
          if (!out.includes(needle)) {
            reject(new Error(`exited before printing ${JSON.stringify(needle)}: ${out} ${err}`));
          }
        });
      }),
    exit,
  };
}

describe('airlock plugin as a child process', () => {
  let sandbox: Sandbox;
  let ssm: SsmApi & { destroy(): void };
  let env: Record<string, string>;
  let echo: Server;
  let echoPort: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, pacing: false });
    ssm = createSsmApi({
      region: sandbox.region,
      credentials: sandbox.credentials,
      endpoint: sandbox.endpoint,
    });
    env = {
      AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
      AWS_REGION: sandbox.region,
      AWS_ENDPOINT_URL_KMS: sandbox.endpoint,
    };
    echo = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    echoPort = await new Promise<number>((resolve) =>
      echo.listen(0, '127.0.0.1', () => resolve((echo.address() as AddressInfo).port)),
    );
  });
  afterAll(async () => {
    echo.close();
    ssm.destroy();
    await sandbox.close();
  });

  it('prints a plain dotted version above 1.2.497.0', async () => {
    const run = runPlugin(['--version']);
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toBe(`${CLIENT_VERSION}\n`);
  });

  it('exits with the remote exit code of a non-interactive command (response in the env)', async () => {
    const params = {
      Target: DEFAULT_INSTANCES.web,
      DocumentName: 'AWS-StartNonInteractiveCommand',
      Parameters: { command: ['echo from-remote; exit 7'] },
    };
    const started = await ssm.startSession({
      target: params.Target,
      documentName: params.DocumentName,
      parameters: params.Parameters,
    });
    const response = JSON.stringify({
      SessionId: started.sessionId,
      TokenValue: started.tokenValue,
      StreamUrl: started.streamUrl,
    });
    const run = runPlugin(
      [
        'AWS_SSM_START_SESSION_RESPONSE',
        sandbox.region,
        'StartSession',
        '',
        JSON.stringify(params),
        sandbox.endpoint,
      ],
      { ...env, AWS_SSM_START_SESSION_RESPONSE: response },
    );
    expect(await run.exit).toBe(7);
    expect(run.stdout()).toBe(
      `\nStarting session with SessionId: ${started.sessionId}\nfrom-remote\n` +
        `\n\nExiting session with sessionId: ${started.sessionId}.\n\n`,
    );
  });

  it('prints the official lines for a port session and ends on SIGINT', async () => {
    const params = {
      Target: DEFAULT_INSTANCES.web,
      DocumentName: 'AWS-StartPortForwardingSession',
      Parameters: { portNumber: [String(echoPort)], localPortNumber: ['0'] },
    };
    const started = await ssm.startSession({
      target: params.Target,
      documentName: params.DocumentName,
      parameters: params.Parameters,
    });
    const id = started.sessionId;
    const run = runPlugin(
      [
        JSON.stringify({
          SessionId: id,
          TokenValue: started.tokenValue,
          StreamUrl: started.streamUrl,
        }),
        sandbox.region,
        'StartSession',
        '',
        JSON.stringify(params),
        sandbox.endpoint,
      ],
      env,
    );
    await run.until('Waiting for connections...\n');
    const match =
      /^\nStarting session with SessionId: (\S+)\nPort (\d+) opened for sessionId (\S+)\.\nWaiting for connections\.\.\.\n$/.exec(
        run.stdout(),
      );
    expect(match?.[1]).toBe(id);
    expect(match?.[3]).toBe(id);
    const localPort = Number(match?.[2]);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(localPort, '127.0.0.1', () => socket.write('ping through ssm'));
      socket.on('data', (chunk: Buffer) => {
        resolve(chunk.toString());
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(reply).toBe('ping through ssm');
    await run.until(`\nConnection accepted for session [${id}]\n`);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.stdout().endsWith(`\n\nExiting session with sessionId: ${id}.\n\n`)).toBe(true);
  });

  it('runs a shell in a raw-mode terminal: control bytes reach the remote, resizes follow', async () => {
    const started = await ssm.startSession({ target: DEFAULT_INSTANCES.web });
    const id = started.sessionId;
    const response = JSON.stringify({
      SessionId: id,
      TokenValue: started.tokenValue,
      StreamUrl: started.streamUrl,
    });
    const pty = spawnPty(
      process.execPath,
      [
        '--import',
        'tsx',
        entryScript,
        'plugin',
        response,
        sandbox.region,
        'StartSession',
        '',
        JSON.stringify({ Target: DEFAULT_INSTANCES.web }),
        sandbox.endpoint,
      ],
      {
        cols: 91,
        rows: 27,
        cwd: repoRoot,
        env: { ...process.env, ...env },
      },
    );
    let screen = '';
    onTestFailed(() => {
      console.error(`screen at failure: ${JSON.stringify(screen.slice(-2000))}`);
    });
    const waiters: { re: RegExp; resolve: () => void }[] = [];
    pty.onData((data) => {
      screen += data;
      for (const waiter of waiters.splice(0)) {
        if (waiter.re.test(screen)) waiter.resolve();
        else waiters.push(waiter);
      }
    });
    const exit = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
    const until = (re: RegExp) =>
      new Promise<void>((resolve) => {
        if (re.test(screen)) resolve();
        else waiters.push({ re, resolve });
      });

    // The initial size is sent before anything else.
    pty.write('stty size; echo "size-$((1+1))"\r');
    await until(/27 91\r*\n.*size-2/s);
    // SIGWINCH locally becomes a Size message. The signal and typed input reach the plugin on
    // separate paths, so a command typed at once may still see the old size: ask until it shows.
    pty.resize(120, 33);
    let resized = false;
    for (let attempt = 0; attempt < 50 && !resized; attempt++) {
      pty.write(`stty size; echo "size-check-$((${attempt}+1000))"\r`);
      const marker = new RegExp(`(\\d+ \\d+)\\r*\\n[^\\n]*size-check-${attempt + 1000}\\r*\\n`);
      await until(marker);
      resized = marker.exec(screen)?.[1] === '33 120';
    }
    expect(resized).toBe(true);
    // Ctrl-C interrupts the remote command, not the plugin. The command says when it runs (the
    // process that printed becomes the sleep), so the ^C cannot reach the shell before its job
    // exists, which a loaded machine would otherwise allow.
    pty.write(`sh -c 'echo "sleeping-$((2+2))"; exec sleep 30'; echo after-sleep\r`);
    await until(/sleeping-4/);
    pty.write('\x03');
    // Type on only once the interrupt was seen: the remote tty discards input queued behind ^C, so
    // text sent in the same write as the ^C could be lost.
    await until(/sleeping-4[\s\S]*\^C/);
    pty.write('echo "still-$((3*3))"\r');
    await until(/still-9/);
    // Only the typed command may show "after-sleep" (once, or twice when typed ahead of the
    // prompt and redrawn); the echo's own output line must never appear.
    expect(screen).not.toMatch(/(?<!echo )after-sleep/);
    pty.write('exit\r');
    expect(await exit).toBe(0);
    expect(screen).toContain(`Exiting session with sessionId: ${id}.`);
  }, 120_000);

  it('airlock shell resolves a Name tag and exits with the remote exit code', async () => {
    const run = runAirlock(
      [
        'shell',
        'web-1',
        '--document',
        'AWS-StartNonInteractiveCommand',
        '--parameters',
        '{"command":["echo via-shell; exit 4"]}',
      ],
      { ...env, AWS_ENDPOINT_URL: sandbox.endpoint },
    );
    expect(await run.exit).toBe(4);
    expect(run.stdout()).toMatch(
      /^\nStarting session with SessionId: (\S+)\nvia-shell\n\n\nExiting session with sessionId: \1\.\n\n$/,
    );
  });

  it('reports an incomplete response in one line, with 0 when it came in argv', async () => {
    const run = runPlugin(['{"SessionId":"s-1"}', 'us-east-1', 'StartSession']);
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe(
      'Cannot perform start session: the StartSession response (argument 1) has no TokenValue\n',
    );
  });

  it('stops before the session when AWS_CA_BUNDLE cannot be read, though no client exists yet', async () => {
    const response = '{"SessionId":"s-1","TokenValue":"t","StreamUrl":"wss://127.0.0.1:1/x"}';
    const missing = path.join(repoRoot, 'no-such-folder', 'ca.pem');
    const run = runPlugin([response, 'us-east-1', 'StartSession'], { AWS_CA_BUNDLE: missing });
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe(
      `Cannot perform start session: AWS_CA_BUNDLE ${missing} could not be read (ENOENT)\n`,
    );
  });

  it('exits 1 with one plain line when the data channel cannot be opened (response in the env)', async () => {
    const started = await ssm.startSession({ target: DEFAULT_INSTANCES.web });
    // Nothing listens on port 1, so every attempt to open the data channel is refused.
    const response = JSON.stringify({
      SessionId: started.sessionId,
      TokenValue: started.tokenValue,
      StreamUrl: `ws://127.0.0.1:1/v1/data-channel/${started.sessionId}?role=publish_subscribe`,
    });
    const run = runPlugin(
      [
        'AWS_SSM_START_SESSION_RESPONSE',
        sandbox.region,
        'StartSession',
        '',
        JSON.stringify({ Target: DEFAULT_INSTANCES.web }),
        sandbox.endpoint,
      ],
      { ...env, AWS_SSM_START_SESSION_RESPONSE: response },
    );
    expect(await run.exit).toBe(1);
    const lines = run.stderr().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/data channel/i);
    expect(run.stderr()).not.toContain(started.tokenValue);
  });
});
