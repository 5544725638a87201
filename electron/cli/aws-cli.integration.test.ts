// The real third-party clients against the sandbox: Debian's AWS CLI v2 running `airlock plugin` as
// session-manager-plugin (installed with `airlock plugin --install`), and OpenSSH through the
// AWS-StartSSHSession ProxyCommand to a test sshd on a loopback port.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSsmApi, type SsmApi } from '../core/aws/ssm-api';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import type { SessionRecord, SessionStatus } from '../emulator/registry';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { runCli } from './main';
import { PLUGIN_LAUNCHER_NAME } from './install';

/** Debian's AWS CLI v2, by full path: `aws` on PATH may be an unrelated v1. */
const AWS = '/usr/bin/aws';
const SSH_TOOLS = ['/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/sbin/sshd'];
const haveAws = existsSync(AWS);
const haveSsh = haveAws && SSH_TOOLS.every((tool) => existsSync(tool));
if (!haveAws) console.log(`AWS CLI tests skipped: ${AWS} is absent (CI installs Debian's awscli)`);
else if (!haveSsh) console.log('ssh test skipped: openssh-client or openssh-server is absent');

const entryScript = fileURLToPath(new URL('./entry.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  until(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves after the process and everything holding its stdio (the plugin too) has gone. */
  closed: Promise<number | null>;
}

function run(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { input?: Buffer; detached?: boolean } = {},
): Run {
  const child = spawn(file, args, {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.detached === true,
  });
  const out: Buffer[] = [];
  let err = '';
  const waiters: (() => void)[] = [];
  const notify = (): void => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out.push(chunk);
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  child.stdin?.on('error', () => undefined);
  if (options.input) child.stdin?.end(options.input);
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  const stdout = (): string => Buffer.concat(out).toString();
  return {
    child,
    stdout,
    stderr: () => err,
    closed,
    until: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(stdout());
          if (match) resolve(match);
          else waiters.push(check);
        };
        check();
        void closed.then(() => {
          if (!pattern.test(stdout())) {
            reject(new Error(`exited without ${String(pattern)}: ${stdout()} ${err}`));
          }
        });
      }),
  };
}

/** Resolves when the sandbox records the session in one of `statuses`. */
function sessionReaches(
  sandbox: Sandbox,
  sessionId: string,
  statuses: readonly SessionStatus[],
): Promise<SessionStatus> {
  return new Promise((resolve) => {
    const current = sandbox.registry.get(sessionId)?.status;
    if (current !== undefined && statuses.includes(current)) {
      resolve(current);
      return;
    }
    const onStatus = (record: SessionRecord): void => {
      if (record.sessionId !== sessionId || !statuses.includes(record.status)) return;
      sandbox.registry.off('status', onStatus);
      resolve(record.status);
    };
    sandbox.registry.on('status', onStatus);
  });
}

/** The id of the next session the sandbox creates. */
function nextSession(sandbox: Sandbox): Promise<string> {
  return new Promise((resolve) => {
    sandbox.registry.once('created', (record: SessionRecord) => resolve(record.sessionId));
  });
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Text that would give a session away: the token, the stream URL, the response's field names. */
function expectNoSecrets(text: string, token?: string): void {
  expect(text).not.toMatch(/TokenValue|StreamUrl|data-channel/i);
  if (token !== undefined) expect(text).not.toContain(token);
}

describe.skipIf(!haveAws)('the AWS CLI with airlock plugin as session-manager-plugin', () => {
  let sandbox: Sandbox;
  let ssm: SsmApi & { destroy(): void };
  let home: string;
  let env: NodeJS.ProcessEnv;
  let launcher: string;
  let echo: Server;
  let echoPort: number;
  const endpoint = (): string[] => ['--endpoint-url', sandbox.endpoint];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, pacing: false });
    ssm = createSsmApi({
      region: sandbox.region,
      credentials: sandbox.credentials,
      endpoint: sandbox.endpoint,
    });
    home = await mkdtemp(path.join(tmpdir(), 'airlock-awscli-'));
    const bin = path.join(home, 'bin');
    const sink = { write: () => true };
    const installed = await runCli(['plugin', '--install', bin], {
      stdin: process.stdin,
      stdout: sink as unknown as NodeJS.WriteStream,
      stderr: sink as unknown as NodeJS.WriteStream,
      env: { HOME: home, PATH: '' },
      launcherCommand: [process.execPath, '--import', tsxLoader, entryScript],
    });
    expect(installed).toBe(0);
    launcher = path.join(bin, PLUGIN_LAUNCHER_NAME);
    await writeFile(path.join(home, 'config'), '');
    env = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'config'),
      AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
      AWS_REGION: sandbox.region,
      AWS_DEFAULT_REGION: sandbox.region,
      // This CLI predates AWS_ENDPOINT_URL (it gets --endpoint-url); the plugin's SDK reads it.
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_PAGER: '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
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
    await rm(home, { recursive: true, force: true });
  });

  /** `aws --endpoint-url E ARGS --output json`, parsed; rejects with stderr on a failure. */
  async function awsJson(args: readonly string[]): Promise<Record<string, unknown>> {
    const call = run(AWS, [...endpoint(), ...args, '--output', 'json'], env);
    const status = await call.closed;
    if (status !== 0) throw new Error(call.stderr());
    return JSON.parse(call.stdout() === '' ? '{}' : call.stdout()) as Record<string, unknown>;
  }

  it('answers what the AWS CLI asks, with filters and pagination', async () => {
    const started = await ssm.startSession({ target: DEFAULT_INSTANCES.web });
    const [documents, page, described, content, instances, sessions, status, ec2] =
      await Promise.all([
        awsJson(['ssm', 'list-documents', '--filters', 'Key=Name,Values=AWS-StartPort']),
        awsJson(['ssm', 'list-documents', '--max-items', '2']),
        awsJson(['ssm', 'describe-document', '--name', 'AWS-StartSSHSession']),
        awsJson(['ssm', 'get-document', '--name', 'AWS-StartNonInteractiveCommand']),
        awsJson([
          'ssm',
          'describe-instance-information',
          '--filters',
          'Key=PingStatus,Values=Online',
          '--max-items',
          '2',
        ]),
        awsJson([
          'ssm',
          'describe-sessions',
          '--state',
          'Active',
          '--filters',
          `key=SessionId,value=${started.sessionId}`,
        ]),
        awsJson(['ssm', 'get-connection-status', '--target', DEFAULT_INSTANCES.offline]),
        awsJson([
          'ec2',
          'describe-instances',
          '--filters',
          'Name=instance-state-name,Values=running',
          'Name=tag:Name,Values=web-*',
        ]),
      ]);
    const names = (list: unknown): unknown[] =>
      (list as { Name?: string; InstanceId?: string; SessionId?: string }[]).map(
        (item) => item.Name ?? item.InstanceId ?? item.SessionId,
      );
    expect(names(documents.DocumentIdentifiers)).toEqual([
      'AWS-StartPortForwardingSession',
      'AWS-StartPortForwardingSessionToRemoteHost',
    ]);
    expect(names(page.DocumentIdentifiers)).toHaveLength(2);
    expect(typeof page.NextToken).toBe('string');
    const rest = await awsJson([
      'ssm',
      'list-documents',
      '--starting-token',
      String(page.NextToken),
    ]);
    expect(names(rest.DocumentIdentifiers)).not.toContain(names(page.DocumentIdentifiers)[0]);
    expect(described.Document).toMatchObject({ Name: 'AWS-StartSSHSession', Status: 'Active' });
    expect(JSON.parse(String(content.Content))).toMatchObject({
      sessionType: 'NonInteractiveCommands',
    });
    expect(names(instances.InstanceInformationList)).toHaveLength(2);
    expect(typeof instances.NextToken).toBe('string');
    expect(names(sessions.Sessions)).toEqual([started.sessionId]);
    expect(status).toEqual({ Target: DEFAULT_INSTANCES.offline, Status: 'notconnected' });
    const reservations = ec2.Reservations as { Instances: { InstanceId: string }[] }[];
    expect(reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId))).toContain(
      DEFAULT_INSTANCES.web,
    );

    const resumed = await awsJson(['ssm', 'resume-session', '--session-id', started.sessionId]);
    expect(resumed.SessionId).toBe(started.sessionId);
    expect(await awsJson(['ssm', 'terminate-session', '--session-id', started.sessionId])).toEqual({
      SessionId: started.sessionId,
    });
    await expect(awsJson(['ssm', 'list-commands'])).rejects.toThrow(
      /\(UnknownOperationException\) when calling the ListCommands operation/,
    );
  }, 120_000);

  it('runs a shell through a pty and ends it with exit', async () => {
    const pty = spawnPty(
      AWS,
      [...endpoint(), 'ssm', 'start-session', '--target', DEFAULT_INSTANCES.web],
      {
        cols: 100,
        rows: 30,
        env,
      },
    );
    let screen = '';
    const waiters: (() => void)[] = [];
    pty.onData((data) => {
      screen += data;
      for (const waiter of waiters.splice(0)) waiter();
    });
    const exit = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
    const until = (pattern: RegExp): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (pattern.test(screen)) resolve();
          else waiters.push(check);
        };
        check();
      });
    await until(/Starting session with SessionId: \S+/);
    pty.write('echo "marker-$((6*7))"; stty size\r');
    await until(/marker-42\r*\n30 100/);
    pty.write('exit\r');
    expect(await exit).toBe(0);
    expect(screen).toMatch(/Exiting session with sessionId: \S+\./);
    expect(screen.match(/Starting session with SessionId/g)).toHaveLength(1);
  }, 60_000);

  it('forwards a port: 5 MB through the echo server, verified by SHA-256', async () => {
    const created = nextSession(sandbox);
    const forward = run(
      AWS,
      [
        ...endpoint(),
        'ssm',
        'start-session',
        '--target',
        DEFAULT_INSTANCES.web,
        '--document-name',
        'AWS-StartPortForwardingSession',
        '--parameters',
        `portNumber=${echoPort},localPortNumber=0`,
      ],
      env,
      { detached: true },
    );
    const [, port] = await forward.until(
      /Port (\d+) opened for sessionId \S+\.\nWaiting for connections\.\.\.\n/,
    );
    const payload = randomBytes(5 * 1024 * 1024);
    const received = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(payload));
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= payload.length) {
          socket.end();
          resolve(Buffer.concat(chunks));
        }
      });
      socket.on('error', reject);
    });
    expect(sha256(received)).toBe(sha256(payload));
    const sessionId = await created;
    // Ctrl-C reaches the whole foreground group; the CLI ignores it and the plugin ends the session.
    process.kill(-(forward.child.pid ?? 0), 'SIGINT');
    // The response came in argv (this CLI), so the plugin ends with 0 and the CLI with it.
    expect(await forward.closed).toBe(0);
    expect(await sessionReaches(sandbox, sessionId, ['Terminated', 'Failed'])).toBe('Terminated');
    expectNoSecrets(forward.stdout() + forward.stderr());
  }, 60_000);

  it('runs a non-interactive command whose failure never shows the token', async () => {
    const created = nextSession(sandbox);
    const command = run(
      AWS,
      [
        ...endpoint(),
        'ssm',
        'start-session',
        '--target',
        DEFAULT_INSTANCES.web,
        '--document-name',
        'AWS-StartNonInteractiveCommand',
        '--parameters',
        '{"command":["echo out-$((2+3)); exit 3"]}',
      ],
      env,
    );
    // This CLI passes the response in argv, so the plugin exits 0: on a non-zero status the CLI
    // would print its command line, token included.
    expect(await command.closed).toBe(0);
    expect(command.stdout()).toContain('out-5\n');
    expect(command.stderr()).not.toContain('non-zero exit status');
    expectNoSecrets(command.stdout() + command.stderr());
    expect(await sessionReaches(sandbox, await created, ['Terminated'])).toBe('Terminated');
  }, 60_000);

  /** The plugin as an AWS CLI calls it, with the response in argv or in the environment. */
  function pluginRun(
    responseIn: 'argv' | 'env',
    started: { sessionId: string; tokenValue: string; streamUrl: string },
    parameters: Record<string, unknown>,
  ): Run {
    const response = JSON.stringify({
      SessionId: started.sessionId,
      TokenValue: started.tokenValue,
      StreamUrl: started.streamUrl,
    });
    const variable = 'AWS_SSM_START_SESSION_RESPONSE';
    return run(
      launcher,
      [
        responseIn === 'argv' ? response : variable,
        sandbox.region,
        'StartSession',
        '',
        JSON.stringify(parameters),
        sandbox.endpoint,
      ],
      responseIn === 'argv' ? env : { ...env, [variable]: response },
    );
  }

  it('under both response paths: argv gives 0, the environment gives the remote status', async () => {
    const parameters = {
      Target: DEFAULT_INSTANCES.web,
      DocumentName: 'AWS-StartNonInteractiveCommand',
      Parameters: { command: ['echo both-$((4+4)); exit 3'] },
    };
    for (const [responseIn, status] of [
      ['argv', 0],
      ['env', 3],
    ] as const) {
      const started = await ssm.startSession({
        target: parameters.Target,
        documentName: parameters.DocumentName,
        parameters: parameters.Parameters,
      });
      const plugin = pluginRun(responseIn, started, parameters);
      expect(await plugin.closed).toBe(status);
      expect(plugin.stdout()).toContain('both-8\n');
      expect(plugin.stderr()).toBe('');
      expectNoSecrets(plugin.stdout(), started.tokenValue);
    }
  }, 60_000);

  it('reports a session that cannot start in one line, without the token', async () => {
    for (const [responseIn, status] of [
      ['argv', 0],
      ['env', 1],
    ] as const) {
      const started = await ssm.startSession({ target: DEFAULT_INSTANCES.web });
      // A stream URL nobody listens on: the data channel cannot open.
      const dead = { ...started, streamUrl: 'ws://127.0.0.1:9/v1/data-channel/gone' };
      const plugin = pluginRun(responseIn, dead, { Target: DEFAULT_INSTANCES.web });
      expect(await plugin.closed).toBe(status);
      expect(plugin.stderr()).toMatch(/^Cannot perform start session: [^\n]+\n$/);
      expect(plugin.stdout()).toBe('');
      expectNoSecrets(plugin.stdout() + plugin.stderr(), started.tokenValue);
      await ssm.terminateSession(started.sessionId);
    }
  }, 60_000);

  describe.skipIf(!haveSsh)('ssh through the AWS-StartSSHSession ProxyCommand', () => {
    let sshd: Run | undefined;
    let sshdPort: number;
    let keyFile: string;

    beforeAll(async () => {
      const dir = path.join(home, 'sshd');
      await mkdir(dir, { mode: 0o700 });
      const keygen = (file: string): Promise<number | null> =>
        run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], env).closed;
      keyFile = path.join(dir, 'id_ed25519');
      expect(await keygen(path.join(dir, 'host_key'))).toBe(0);
      expect(await keygen(keyFile)).toBe(0);
      await writeFile(path.join(dir, 'authorized_keys'), await readFile(`${keyFile}.pub`));
      // sshd needs a fixed port: take a free one from the kernel, then hand it over.
      sshdPort = await new Promise<number>((resolve) => {
        const probe = createServer();
        probe.listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      await writeFile(
        path.join(dir, 'sshd_config'),
        [
          `Port ${sshdPort}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${path.join(dir, 'host_key')}`,
          `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
          'PidFile none',
          'StrictModes no',
          'UsePAM no',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin prohibit-password',
          'LogLevel INFO',
          '',
        ].join('\n'),
      );
      // Run as root, sshd insists on its privilege-separation directory, which only its init
      // script creates.
      if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
      const server = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      await new Promise<void>((resolve, reject) => {
        server.stderr.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          if (log.includes(`Server listening on 127.0.0.1 port ${sshdPort}`)) resolve();
        });
        server.once('exit', () => reject(new Error(`sshd exited: ${log}`)));
      });
      sshd = { child: server } as Run;
    }, 30_000);

    afterAll(() => {
      sshd?.child.kill('SIGTERM');
    });

    it('moves 20 MB and leaves no Active session and no stack trace', async () => {
      const payload = randomBytes(20 * 1024 * 1024);
      const created = nextSession(sandbox);
      const proxy = [
        AWS,
        ...endpoint(),
        'ssm start-session --target %h --document-name AWS-StartSSHSession',
        `--parameters portNumber=${sshdPort}`,
      ].join(' ');
      const ssh = run(
        '/usr/bin/ssh',
        [
          '-F',
          '/dev/null',
          '-i',
          keyFile,
          '-o',
          'IdentitiesOnly=yes',
          '-o',
          'BatchMode=yes',
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'LogLevel=ERROR',
          '-o',
          `ProxyCommand=${proxy}`,
          `${userInfo().username}@${DEFAULT_INSTANCES.web}`,
          'sha256sum',
        ],
        env,
        { input: payload },
      );
      // 'close' waits for every holder of ssh's stderr, the ProxyCommand and the plugin included.
      expect(await ssh.closed).toBe(0);
      expect(ssh.stdout()).toBe(`${sha256(payload)}  -\n`);
      expect(ssh.stderr()).not.toMatch(/EPIPE|Error|\n\s+at /);
      expectNoSecrets(ssh.stderr());
      const sessionId = await created;
      expect(await sessionReaches(sandbox, sessionId, ['Terminated', 'Failed'])).toBe('Terminated');
      const active = run(
        AWS,
        [
          ...endpoint(),
          'ssm',
          'describe-sessions',
          '--state',
          'Active',
          '--filters',
          `key=Target,value=${DEFAULT_INSTANCES.web}`,
          '--query',
          'Sessions[].SessionId',
          '--output',
          'text',
        ],
        env,
      );
      expect(await active.closed).toBe(0);
      expect(active.stdout()).not.toContain(sessionId);
    }, 90_000);
  });
});
