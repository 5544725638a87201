import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  INSTALL_MESSAGE,
  PluginArgumentError,
  parsePluginArgs,
  runPlugin,
  type PluginDeps,
  type PluginProcess,
} from './plugin';
import { LOCAL_CLOSE_GRACE_MS } from './plugin-session';
import { CLIENT_VERSION } from '../core/datachannel/client-version';
import {
  PayloadType,
  buildHandshakeCompletePayload,
  buildHandshakeRequestPayload,
} from '../core/datachannel/codec';
import { FakeAgent } from '../core/sessions/fake-agent';
import { FakeClock } from '../core/testing/fake-clock';

const response = JSON.stringify({
  SessionId: 'jane-0123456789abcdef0',
  TokenValue: 'secret-token',
  StreamUrl: 'ws://127.0.0.1:1/v1/data-channel/jane?role=publish_subscribe',
});

/** The agent's side of an AWS-StartSSHSession handshake (a Port session without a type). */
async function completeSshHandshake(agent: FakeAgent): Promise<void> {
  agent.send(
    PayloadType.HandshakeRequest,
    buildHandshakeRequestPayload({
      agentVersion: '3.3.0.0',
      actions: [
        { actionType: 'SessionType', sessionType: 'Port', properties: { portNumber: '22' } },
      ],
    }),
  );
  expect((await agent.messages.next()).payloadType).toBe(PayloadType.HandshakeResponse);
  agent.send(
    PayloadType.HandshakeComplete,
    buildHandshakeCompletePayload({ handshakeTimeToCompleteNs: 1, customerMessage: '' }),
  );
  await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('parsePluginArgs', () => {
  it('recognises the special invocations', () => {
    expect(parsePluginArgs([], {})).toEqual({ kind: 'install-message' });
    expect(parsePluginArgs(['--version'], {})).toEqual({ kind: 'version' });
    expect(parsePluginArgs(['foo'], {})).toEqual({ kind: 'unknown-operation', argument: 'foo' });
    expect(parsePluginArgs(['foo', 'us-east-1'], {})).toEqual({
      kind: 'unknown-operation',
      argument: 'foo',
    });
    expect(parsePluginArgs([response, 'us-east-1', 'StopSession'], {})).toEqual({
      kind: 'invalid-operation',
    });
  });

  it('reads all six arguments', () => {
    expect(
      parsePluginArgs(
        [response, 'eu-west-1', 'StartSession', 'dev', '{"Target":"i-0abc"}', 'http://127.0.0.1:9'],
        {},
      ),
    ).toEqual({
      kind: 'start',
      response: {
        sessionId: 'jane-0123456789abcdef0',
        tokenValue: 'secret-token',
        streamUrl: 'ws://127.0.0.1:1/v1/data-channel/jane?role=publish_subscribe',
      },
      region: 'eu-west-1',
      profile: 'dev',
      targetId: 'i-0abc',
      endpoint: 'http://127.0.0.1:9',
      legacy: false,
    });
  });

  it('treats the three-argument form as legacy (no KMS)', () => {
    expect(parsePluginArgs([response, 'us-east-1', 'StartSession'], {})).toMatchObject({
      kind: 'start',
      legacy: true,
      profile: '',
      targetId: '',
      endpoint: '',
    });
  });

  it('reads the response from the named environment variable', () => {
    const env = { AWS_SSM_START_SESSION_RESPONSE: response };
    expect(
      parsePluginArgs(['AWS_SSM_START_SESSION_RESPONSE', 'us-east-1', 'StartSession', ''], env),
    ).toMatchObject({
      kind: 'start',
      response: { sessionId: 'jane-0123456789abcdef0' },
      consumedEnvVar: 'AWS_SSM_START_SESSION_RESPONSE',
    });
  });

  it('matches keys case-insensitively, as ECS exec sends them', () => {
    const ecs = JSON.stringify({
      sessionId: 'ecs-execute-command-1',
      streamUrl: 'ws://127.0.0.1:1/x',
      tokenValue: 't',
      ResponseMetadata: {},
    });
    expect(
      parsePluginArgs([ecs, 'us-east-1', 'StartSession', '', '{"target":"ecs:c_t_r"}', ''], {}),
    ).toMatchObject({
      response: {
        sessionId: 'ecs-execute-command-1',
        tokenValue: 't',
        streamUrl: 'ws://127.0.0.1:1/x',
      },
      targetId: 'ecs:c_t_r',
    });
  });

  it('rejects malformed input with a coded error instead of crashing', () => {
    const attempt = (args: string[], env: Record<string, string> = {}) => {
      try {
        parsePluginArgs(args, env);
        return 'no error';
      } catch (error) {
        expect(error).toBeInstanceOf(PluginArgumentError);
        return (error as PluginArgumentError).code;
      }
    };
    expect(attempt(['{not json', 'r', 'StartSession'])).toBe('bad-response');
    expect(attempt(['[]', 'r', 'StartSession'])).toBe('bad-response');
    expect(attempt(['{"SessionId":"s","TokenValue":"t"}', 'r', 'StartSession'])).toBe(
      'bad-response',
    );
    expect(attempt(['{"SessionId":1,"TokenValue":"t","StreamUrl":"u"}', 'r', 'StartSession'])).toBe(
      'bad-response',
    );
    expect(attempt(['AWS_SSM_START_SESSION_RESPONSE_X', 'r', 'StartSession'])).toBe(
      'missing-response',
    );
    expect(attempt([response, 'r', 'StartSession', '', '{bad'])).toBe('bad-parameters');
    expect(attempt([response, 'r', 'StartSession', '', '{"Target":5}'])).toBe('bad-parameters');
  });
});

class FakeProcess implements PluginProcess {
  readonly listeners = new Map<string, Set<() => void>>();
  on(event: string, listener: () => void) {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }
  off(event: string, listener: () => void) {
    this.listeners.get(event)?.delete(listener);
    return this;
  }
  emit(event: string) {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }
}

function io(env: Record<string, string | undefined> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const deps: PluginDeps = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env,
    process: new FakeProcess(),
    createApis: () => {
      throw new Error('no AWS in this test');
    },
  };
  return { deps, out: () => out.join(''), err: () => err.join('') };
}

describe('runPlugin', () => {
  it('prints the install message, the version and the unknown-operation text', async () => {
    const a = io();
    await expect(runPlugin([], a.deps)).resolves.toBe(0);
    expect(a.out()).toBe(INSTALL_MESSAGE);
    const b = io();
    await expect(runPlugin(['--version'], b.deps)).resolves.toBe(0);
    expect(b.out()).toBe(`${CLIENT_VERSION}\n`);
    const c = io();
    await expect(runPlugin(['bogus'], c.deps)).resolves.toBe(1);
    expect(c.out()).toBe(
      '\nUnknown operation bogus. \nUse session-manager-plugin --version to check the version.\n\n',
    );
    const d = io();
    await expect(runPlugin([response, 'r', 'Nope'], d.deps)).resolves.toBe(1);
    expect(d.out()).toBe('Invalid Operation');
  });

  it('reports a bad response in one line, with status 0 when the response came in argv', async () => {
    const a = io();
    await expect(runPlugin(['{}', 'r', 'StartSession'], a.deps)).resolves.toBe(0);
    expect(a.err()).toBe(
      'Cannot perform start session: the StartSession response (argument 1) has no SessionId\n',
    );
    expect(a.out()).toBe('');
    const b = io({ AWS_SSM_START_SESSION_RESPONSE: '{}' });
    await expect(
      runPlugin(['AWS_SSM_START_SESSION_RESPONSE', 'r', 'StartSession'], b.deps),
    ).resolves.toBe(1);
    expect(b.err()).toBe(
      'Cannot perform start session: the StartSession response (argument 1) has no SessionId\n',
    );
  });

  it('unsets the response variable once read', async () => {
    const env: Record<string, string | undefined> = { AWS_SSM_START_SESSION_RESPONSE: response };
    const a = io(env);
    await expect(
      runPlugin(
        ['AWS_SSM_START_SESSION_RESPONSE', 'r', 'StartSession', '', '{"Target":"i-1"}'],
        a.deps,
      ),
    ).resolves.toBe(1);
    expect(env).not.toHaveProperty('AWS_SSM_START_SESSION_RESPONSE');
    expect(a.out()).toBe('');
    expect(a.err()).toBe('Cannot perform start session: no AWS in this test\n');
  });
});

describe('runPlugin sessions (in-memory agent)', () => {
  /** A run with the response in the environment variable unless `responseIn` says argv. */
  function started(
    extraArgs: string[] = ['', '{"Target":"i-0123"}', 'http://127.0.0.1:9'],
    responseIn: 'env' | 'argv' = 'env',
  ) {
    const clock = new FakeClock();
    const agent = new FakeAgent(clock);
    const terminations: string[] = [];
    const a = io({ AWS_SSM_START_SESSION_RESPONSE: response });
    a.deps.clock = clock;
    a.deps.connect = agent.connect;
    a.deps.createApis = () => ({
      ssm: {
        startSession: () => Promise.reject(new Error('unused')),
        resumeSession: () => Promise.resolve({ tokenValue: '', streamUrl: '' }),
        terminateSession: (id: string) => {
          terminations.push(id);
          return Promise.resolve();
        },
      },
      kms: { generateDataKey: () => Promise.reject(new Error('unused')) },
      destroy: () => undefined,
    });
    const first = responseIn === 'env' ? 'AWS_SSM_START_SESSION_RESPONSE' : response;
    const exit = runPlugin([first, 'us-east-1', 'StartSession', ...extraArgs], a.deps);
    return { ...a, agent, clock, exit, terminations, deps: a.deps };
  }

  const handshake = async (agent: FakeAgent, sessionType: string, message = '') => {
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [{ actionType: 'SessionType', sessionType, properties: null }],
      }),
    );
    expect((await agent.messages.next()).payloadType).toBe(PayloadType.HandshakeResponse);
    agent.send(
      PayloadType.HandshakeComplete,
      buildHandshakeCompletePayload({ handshakeTimeToCompleteNs: 1, customerMessage: message }),
    );
  };

  it('exits with the remote exit code of a non-interactive command', async () => {
    const { agent, exit, out, err } = started();
    await agent.opens.next();
    await handshake(agent, 'NonInteractiveCommands', 'Note.');
    agent.send(PayloadType.Output, 'hello\n');
    agent.send(PayloadType.StdErr, 'oops\n');
    agent.send(PayloadType.ExitCode, 'EXIT_CODE: 3');
    await new Promise<void>((resolve) => setImmediate(resolve));
    agent.sendChannelClosed('jane-0123456789abcdef0');
    const code = await exit;
    expect(err()).toBe('oops\n');
    expect(code).toBe(3);
    expect(out()).toBe(
      '\nStarting session with SessionId: jane-0123456789abcdef0\nNote.\nhello\n' +
        '\n\nExiting session with sessionId: jane-0123456789abcdef0.\n\n',
    );
    expect(err()).toBe('oops\n');
  });

  it('prints the channel_closed reason and exits 0 for a shell', async () => {
    const { agent, exit, out } = started();
    await agent.opens.next();
    agent.send(PayloadType.Output, '$ ');
    await new Promise<void>((resolve) => setImmediate(resolve));
    agent.sendChannelClosed(
      'jane-0123456789abcdef0',
      'Your session timed out due to inactivity and has been terminated.',
    );
    await expect(exit).resolves.toBe(0);
    expect(out()).toBe(
      '\nStarting session with SessionId: jane-0123456789abcdef0\n$ ' +
        '\n\nSessionId: jane-0123456789abcdef0 : Your session timed out due to inactivity and has been terminated.\n\n',
    );
  });

  it('exits non-zero when the handshake fails', async () => {
    const { agent, exit, err } = started();
    await agent.opens.next();
    await handshake(agent, 'Telepathy');
    await expect(exit).resolves.toBe(1);
    expect(err()).toBe('Cannot perform start session: Unknown session type Telepathy\n');
  });

  it('carries stdin/stdout for a Port session without a type and ends on stdin EOF', async () => {
    const { agent, clock, exit, out, err, deps } = started();
    await agent.opens.next();
    await completeSshHandshake(agent);
    agent.send(PayloadType.Output, 'SSH-2.0-sandbox\r\n');
    const stdin = deps.stdin as PassThrough;
    stdin.write('SSH-2.0-client\r\n');
    const up = await agent.messages.next();
    expect([up.payloadType, new TextDecoder().decode(up.payload)]).toEqual([
      PayloadType.Output,
      'SSH-2.0-client\r\n',
    ]);
    stdin.end();
    // The agent gets a grace period to end the session itself; then the flag ends it.
    let waited = 0;
    while (agent.messages.length === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      clock.advance(50);
      waited += 50;
    }
    expect(waited).toBeGreaterThan(LOCAL_CLOSE_GRACE_MS);
    const flag = await agent.messages.next();
    expect([flag.payloadType, Array.from(flag.payload)]).toEqual([PayloadType.Flag, [0, 0, 0, 2]]);
    await expect(exit).resolves.toBe(0);
    // Only remote bytes on stdout; the status line on stderr.
    expect(out()).toBe('SSH-2.0-sandbox\r\n');
    expect(err()).toBe('\nStarting session with SessionId: jane-0123456789abcdef0\n');
  });

  it('ends a stream session silently with 0 when stdout breaks (EPIPE)', async () => {
    const { agent, clock, exit, err, deps } = started();
    await agent.opens.next();
    await completeSshHandshake(agent);
    (deps.stdout as PassThrough).destroy(
      Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }),
    );
    while (agent.messages.length === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      clock.advance(50);
    }
    const flag = await agent.messages.next();
    expect([flag.payloadType, Array.from(flag.payload)]).toEqual([PayloadType.Flag, [0, 0, 0, 2]]);
    agent.sendChannelClosed('jane-0123456789abcdef0');
    await expect(exit).resolves.toBe(0);
    // Nothing after the start line: no closing text, no error.
    expect(err()).toBe('\nStarting session with SessionId: jane-0123456789abcdef0\n');
  });

  it('ends a port session on SIGTERM with the flag and 128 + 15', async () => {
    const { agent, exit, deps } = started();
    await agent.opens.next();
    await completeSshHandshake(agent);
    (deps.process as FakeProcess).emit('SIGTERM');
    const flag = await agent.messages.next();
    expect([flag.payloadType, Array.from(flag.payload)]).toEqual([PayloadType.Flag, [0, 0, 0, 2]]);
    await expect(exit).resolves.toBe(143);
  });

  it('prints the closing line of a stream session on stderr', async () => {
    const { agent, exit, out, err } = started();
    await agent.opens.next();
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [
          { actionType: 'SessionType', sessionType: 'Port', properties: { portNumber: '22' } },
        ],
      }),
    );
    expect((await agent.messages.next()).payloadType).toBe(PayloadType.HandshakeResponse);
    agent.send(
      PayloadType.HandshakeComplete,
      buildHandshakeCompletePayload({ handshakeTimeToCompleteNs: 1, customerMessage: '' }),
    );
    agent.send(PayloadType.Output, 'banner\n');
    await new Promise<void>((resolve) => setImmediate(resolve));
    agent.sendChannelClosed('jane-0123456789abcdef0');
    await expect(exit).resolves.toBe(0);
    expect(out()).toBe('banner\n');
    expect(err()).toBe(
      '\nStarting session with SessionId: jane-0123456789abcdef0\n' +
        '\n\nExiting session with sessionId: jane-0123456789abcdef0.\n\n',
    );
  });

  it('refuses KMS in the legacy three-argument form', async () => {
    const { agent, exit, err } = started([]);
    await agent.opens.next();
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [{ actionType: 'KMSEncryption', kmsKeyId: 'k' }],
      }),
    );
    await expect(exit).resolves.toBe(1);
    expect(err()).toMatch(/Installed version of CLI does not support Session Manager encryption/);
  });
});
