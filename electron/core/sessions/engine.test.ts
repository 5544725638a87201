import { describe, expect, it } from 'vitest';
import {
  MessageType,
  PayloadType,
  buildHandshakeCompletePayload,
  buildHandshakeRequestPayload,
  buildEncryptionChallengePayload,
  parseEncryptionChallengePayload,
  parseHandshakeResponsePayload,
  type ClientMessage,
} from '../datachannel/codec';
import { createPayloadCipher } from '../datachannel/crypto';
import { MAX_FRAME_BYTES } from '../datachannel/codec/frame';
import { CloseCode } from '../datachannel/transport';
import { AwsApiError, type ResumedSession, type SsmApi } from '../aws/ssm-api';
import type { GenerateDataKeyInput, KmsApi } from '../aws/kms-api';
import { FakeClock } from '../testing/fake-clock';
import { CLIENT_VERSION } from '../datachannel/client-version';
import {
  DataChannelSession,
  IDLE_PING_AFTER_MS,
  IDLE_PONG_TIMEOUT_MS,
  WAKE_PONG_TIMEOUT_MS,
  type OpenSessionOptions,
} from './engine';
import { FakeAgent } from './fake-agent';
import type { SessionStatus } from './session-types';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

class FakeSsm implements Pick<SsmApi, 'resumeSession' | 'terminateSession'> {
  readonly resumes: string[] = [];
  readonly terminations: string[] = [];
  /** Scripted answers for successive ResumeSession calls; the last one repeats. */
  answers: (ResumedSession | Error)[] = [{ tokenValue: 'resumed-token', streamUrl: 'ignored' }];

  resumeSession(sessionId: string): Promise<ResumedSession> {
    this.resumes.push(sessionId);
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(answer ?? { tokenValue: '', streamUrl: '' });
  }

  terminateSession(sessionId: string): Promise<void> {
    this.terminations.push(sessionId);
    return Promise.resolve();
  }
}

function setup(extra: Partial<OpenSessionOptions> = {}) {
  const clock = new FakeClock();
  const agent = new FakeAgent(clock);
  const ssm = new FakeSsm();
  const statuses: SessionStatus[] = [];
  let id = 0;
  const session = new DataChannelSession({
    sessionId: 'sess-1',
    streamUrl: 'ws://127.0.0.1:1/v1/data-channel/sess-1?role=publish_subscribe',
    tokenValue: 'start-token',
    targetId: 'i-0123',
    ssm,
    clock,
    connect: agent.connect,
    newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
    ...extra,
  });
  session.onStatus((s) => statuses.push(s));
  return { clock, agent, ssm, session, statuses };
}

async function nextOfType(agent: FakeAgent, payloadType: number): Promise<ClientMessage> {
  for (;;) {
    const message = await agent.messages.next();
    if (message.payloadType === payloadType) return message;
  }
}

describe('DataChannelSession opening', () => {
  it('sends OpenDataChannel with the token, a per-process ClientId and the client version', async () => {
    const { agent, session, statuses } = setup();
    session.start();
    const open = await agent.opens.next();
    expect(open).toMatchObject({
      messageSchemaVersion: '1.0',
      tokenValue: 'start-token',
      clientVersion: CLIENT_VERSION,
    });
    expect(open.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'open']);
    session.close();
    expect(session.status).toEqual({ state: 'closed', reason: 'closed', message: '' });
  });

  it('takes shell output without a handshake as Standard_Stream and sends the size first', async () => {
    const { agent, session } = setup({ initialSize: { cols: 132, rows: 43 } });
    session.start();
    await agent.opens.next();
    const ready = session.whenReady();
    agent.send(PayloadType.Output, 'prompt$ ');
    const got = await ready;
    expect(got.kind).toBe('shell');
    expect(got.info).toMatchObject({
      sessionType: 'Standard_Stream',
      agentVersion: '',
      encrypted: false,
    });
    if (got.kind !== 'shell') throw new Error('expected a shell');
    const output: string[] = [];
    got.shell.onOutput((bytes) => output.push(text(bytes)));
    const size = await agent.messages.next();
    expect(size.payloadType).toBe(PayloadType.Size);
    expect(size.sequenceNumber).toBe(0);
    expect(text(size.payload)).toBe('{"cols":132,"rows":43}');
    got.shell.write(new TextEncoder().encode('ls\r'));
    const keys = await agent.messages.next();
    expect([keys.payloadType, keys.sequenceNumber, text(keys.payload)]).toEqual([
      PayloadType.Output,
      1,
      'ls\r',
    ]);
    agent.send(PayloadType.Output, 'file\r\n');
    await flush();
    expect(output).toEqual(['prompt$ ', 'file\r\n']);
    session.close();
  });

  it('runs the handshake, surfaces the customer message and ends on channel_closed', async () => {
    const { agent, session } = setup();
    session.start();
    await agent.opens.next();
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [
          { actionType: 'SessionType', sessionType: 'NonInteractiveCommands', properties: null },
        ],
      }),
    );
    const response = await agent.messages.next();
    expect(response.payloadType).toBe(PayloadType.HandshakeResponse);
    expect(parseHandshakeResponsePayload(response.payload)).toEqual({
      clientVersion: CLIENT_VERSION,
      processedClientActions: [
        { actionType: 'SessionType', actionStatus: 1, actionResult: null, error: '' },
      ],
      errors: null,
    });
    agent.send(
      PayloadType.HandshakeComplete,
      buildHandshakeCompletePayload({ handshakeTimeToCompleteNs: 5, customerMessage: 'Hello.' }),
    );
    const ready = await session.whenReady();
    expect(ready.info).toMatchObject({
      sessionType: 'NonInteractiveCommands',
      agentVersion: '3.3.0.0',
      customerMessage: 'Hello.',
    });
    if (ready.kind !== 'shell') throw new Error('expected a shell');
    const codes: number[] = [];
    ready.shell.onExitCode((code) => codes.push(code));
    agent.send(PayloadType.ExitCode, 'EXIT_CODE: 7');
    const finished = session.whenFinished();
    await flush();
    agent.sendChannelClosed('sess-1', 'bye now');
    expect(await finished).toEqual({
      state: 'closed',
      reason: 'channel-closed',
      message: 'bye now',
    });
    expect(codes).toEqual([7]);
  });

  it('fails with a clear error when the agent names no session type', async () => {
    const { agent, session, ssm } = setup();
    session.start();
    await agent.opens.next();
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({ agentVersion: '3.3.0.0', actions: [] }),
    );
    await nextOfType(agent, PayloadType.HandshakeResponse);
    agent.send(
      PayloadType.HandshakeComplete,
      buildHandshakeCompletePayload({ handshakeTimeToCompleteNs: 1, customerMessage: '' }),
    );
    await expect(session.whenReady()).rejects.toMatchObject({ code: 'unknown-session-type' });
    expect(session.status).toEqual({
      state: 'error',
      code: 'unknown-session-type',
      message: 'unable to determine SessionType',
    });
    expect(ssm.terminations).toEqual(['sess-1']);
  });

  it('gives up with connect-failed after the initial attempts', async () => {
    const { agent, session, clock } = setup({ initialConnectAttempts: 3 });
    agent.refuse = 3;
    const finished = session.whenFinished();
    session.start();
    for (let i = 0; i < 2; i++) {
      await flush();
      clock.runNext();
    }
    const status = await finished;
    expect(status).toMatchObject({ state: 'error', code: 'connect-failed' });
    expect(agent.connects).toBe(3);
  });
});

describe('DataChannelSession KMS', () => {
  it('generates the data key, answers the challenge and encrypts both ways', async () => {
    const calls: GenerateDataKeyInput[] = [];
    const dataKey = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff);
    const kms: KmsApi = {
      generateDataKey: (input) => {
        calls.push(input);
        return Promise.resolve({ plaintext: dataKey.slice(), ciphertextBlob: Uint8Array.of(9, 9) });
      },
    };
    const { agent, session } = setup({ kms });
    const agentCipher = createPayloadCipher({ role: 'agent', dataKey });
    session.start();
    await agent.opens.next();
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [
          { actionType: 'SessionType', sessionType: 'Standard_Stream', properties: null },
          { actionType: 'KMSEncryption', kmsKeyId: 'alias/ssm', challenge: 'cmFuZG9t' },
        ],
      }),
    );
    const response = parseHandshakeResponsePayload((await agent.messages.next()).payload);
    expect(calls).toEqual([
      {
        keyId: 'alias/ssm',
        numberOfBytes: 64,
        encryptionContext: {
          'aws:ssm:SessionId': 'sess-1',
          'aws:ssm:TargetId': 'i-0123',
          'aws:ssm:RandomChallenge': 'cmFuZG9t',
        },
      },
    ]);
    expect(response.processedClientActions[1]).toMatchObject({
      actionStatus: 1,
      actionResult: { KMSCipherTextKey: 'CQk=', ChallengeAcknowledgement: true },
    });

    const secret = Uint8Array.from({ length: 64 }, (_, i) => i);
    agent.send(
      PayloadType.EncChallengeRequest,
      buildEncryptionChallengePayload({
        challenge: Buffer.from(agentCipher.encrypt(secret)).toString('base64'),
      }),
    );
    const reply = await agent.messages.next();
    expect(reply.payloadType).toBe(PayloadType.EncChallengeResponse);
    const echoed = agentCipher.decrypt(
      Buffer.from(parseEncryptionChallengePayload(reply.payload).challenge, 'base64'),
    );
    expect(Buffer.from(echoed)).toEqual(Buffer.from(secret));

    agent.send(
      PayloadType.HandshakeComplete,
      buildHandshakeCompletePayload({
        handshakeTimeToCompleteNs: 1,
        customerMessage: 'This session is encrypted using AWS KMS.',
      }),
    );
    const ready = await session.whenReady();
    expect(ready.info.encrypted).toBe(true);
    if (ready.kind !== 'shell') throw new Error('expected a shell');
    const size = await agent.messages.next();
    expect(text(size.payload)).toBe('{"cols":80,"rows":24}'); // Size is never encrypted
    const output: string[] = [];
    ready.shell.onOutput((bytes) => output.push(text(bytes)));
    agent.send(PayloadType.Output, agentCipher.encrypt(new TextEncoder().encode('secret output')));
    ready.shell.write(new TextEncoder().encode('whoami\r'));
    const keys = await agent.messages.next();
    expect(keys.payload.length).toBe('whoami\r'.length + 28);
    expect(text(agentCipher.decrypt(keys.payload))).toBe('whoami\r');
    await flush();
    expect(output).toEqual(['secret output']);
    session.close();
  });

  it('reports a KMS failure to the agent and fails the session', async () => {
    const kms: KmsApi = { generateDataKey: () => Promise.reject(new Error('AccessDenied')) };
    const { agent, session } = setup({ kms });
    session.start();
    await agent.opens.next();
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [{ actionType: 'KMSEncryption', kmsKeyId: 'k' }],
      }),
    );
    const response = parseHandshakeResponsePayload((await agent.messages.next()).payload);
    expect(response.errors).toEqual([
      'Failed to process action KMSEncryption: Error calling KMS GenerateDataKey API: AccessDenied',
    ]);
    const status = await session.whenFinished();
    expect(status).toMatchObject({ state: 'error', code: 'handshake-failed' });
  });
});

describe('DataChannelSession resume', () => {
  async function openShell(extra: Partial<OpenSessionOptions> = {}) {
    const ctx = setup(extra);
    ctx.session.start();
    await ctx.agent.opens.next();
    ctx.agent.send(PayloadType.Output, 'prompt$ ');
    const ready = await ctx.session.whenReady();
    if (ready.kind !== 'shell') throw new Error('expected a shell');
    await nextOfType(ctx.agent, PayloadType.Size);
    return { ...ctx, shell: ready.shell };
  }

  it('resumes with a new token on the same StreamUrl and loses nothing typed meanwhile', async () => {
    const { agent, session, shell, ssm, statuses } = await openShell();
    agent.cut();
    await flush();
    shell.write(new TextEncoder().encode('typed while down'));
    const open = await agent.opens.next();
    expect(ssm.resumes).toEqual(['sess-1']);
    expect(open.tokenValue).toBe('resumed-token');
    const keys = await nextOfType(agent, PayloadType.Output);
    expect(text(keys.payload)).toBe('typed while down');
    expect(keys.sequenceNumber).toBe(1);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    session.close();
  });

  it('keeps the ClientId and uses a new RequestId on every open', async () => {
    const { agent, session } = setup();
    session.start();
    const first = await agent.opens.next();
    agent.send(PayloadType.Output, 'prompt$ ');
    await session.whenReady();
    agent.cut();
    const second = await agent.opens.next();
    expect(second.clientId).toBe(first.clientId);
    expect(second.requestId).not.toBe(first.requestId);
    session.close();
  });

  it('backs off on transient ResumeSession errors and keeps trying', async () => {
    const { agent, session, ssm, clock, statuses } = setup({
      backoff: { initialDelayMs: 100, maxDelayMs: 400, random: () => 1 },
    });
    const throttled = new AwsApiError('ThrottlingException', 'slow down', true, 400);
    ssm.answers = [throttled, throttled, throttled, throttled, { tokenValue: 't2', streamUrl: '' }];
    session.start();
    await agent.opens.next();
    agent.send(PayloadType.Output, 'prompt$ ');
    await session.whenReady();
    const start = clock.now();
    agent.cut();
    for (let i = 0; i < 4; i++) {
      await flush();
      clock.runNext();
    }
    const open = await agent.opens.next();
    expect(open.tokenValue).toBe('t2');
    expect(ssm.resumes).toHaveLength(5);
    // Immediately, then 100, 200, 400, 400 (capped).
    expect(clock.now() - start).toBe(1100);
    expect(statuses.filter((s) => s.state === 'reconnecting')).toHaveLength(5);
    session.close();
  });

  it('closes as timed out when the session no longer exists', async () => {
    const { agent, session, ssm } = setup();
    ssm.answers = [new AwsApiError('DoesNotExistException', 'gone', false, 400)];
    session.start();
    await agent.opens.next();
    agent.send(PayloadType.Output, 'prompt$ ');
    await session.whenReady();
    const finished = session.whenFinished();
    agent.cut();
    expect(await finished).toEqual({
      state: 'closed',
      reason: 'timed-out',
      message: 'Session: sess-1 timed out.',
    });
  });

  it('closes as timed out on an empty token', async () => {
    const { agent, session, ssm } = setup();
    ssm.answers = [{ tokenValue: '', streamUrl: '' }];
    session.start();
    await agent.opens.next();
    agent.send(PayloadType.Output, 'prompt$ ');
    await session.whenReady();
    const finished = session.whenFinished();
    agent.cut();
    expect(await finished).toMatchObject({ state: 'closed', reason: 'timed-out' });
  });

  it('gives up with an error after repeated permanent failures', async () => {
    const { agent, session, ssm, clock } = setup();
    ssm.answers = [new AwsApiError('AccessDeniedException', 'denied', false, 403)];
    session.start();
    await agent.opens.next();
    agent.send(PayloadType.Output, 'prompt$ ');
    await session.whenReady();
    const finished = session.whenFinished();
    agent.cut();
    for (let i = 0; i < 2; i++) {
      await flush();
      clock.runNext();
    }
    expect(await finished).toEqual({
      state: 'error',
      code: 'resume-failed',
      message: 'ResumeSession failed: denied',
    });
  });

  it('terminates through the API and waits for channel_closed', async () => {
    const { agent, session, ssm } = await openShell();
    const done = session.terminate();
    await flush();
    expect(ssm.terminations).toEqual(['sess-1']);
    agent.sendChannelClosed('sess-1');
    await done;
    expect(session.status).toEqual({ state: 'closed', reason: 'terminated', message: '' });
  });

  it('reconnects at once on request, even in the middle of a backoff wait', async () => {
    const { agent, session, ssm } = await openShell();
    session.reconnectNow();
    expect((await agent.opens.next()).tokenValue).toBe('resumed-token');
    agent.send(PayloadType.Output, 'still here');
    await flush();
    ssm.answers = [
      new AwsApiError('InternalServerError', 'oops', true, 500),
      { tokenValue: 't3', streamUrl: '' },
    ];
    agent.cut();
    await flush();
    await flush();
    // The first ResumeSession failed; the second normally waits for the backoff timer.
    session.reconnectNow();
    expect((await agent.opens.next()).tokenValue).toBe('t3');
    session.close();
  });

  it('presumes a silent socket dead when acks stop coming, and resumes', async () => {
    const { agent, session, shell, clock, ssm } = await openShell();
    agent.notReady = true; // the agent stops acknowledging anything
    shell.write(new TextEncoder().encode('x'));
    for (let i = 0; i < 8 && ssm.resumes.length === 0; i++) {
      clock.advance(5000);
      await flush();
    }
    expect(ssm.resumes).toEqual(['sess-1']);
    agent.notReady = false;
    await agent.opens.next();
    // The resend on the new socket met the not-ready agent; the next RTO resend gets through.
    clock.advance(1000);
    const keys = await nextOfType(agent, PayloadType.Output);
    expect(text(keys.payload)).toBe('x');
    session.close();
  });

  it('after a wake-up, keeps a socket that answers the ping', async () => {
    const { session, ssm, clock } = await openShell();
    session.checkConnection();
    await flush();
    clock.advance(WAKE_PONG_TIMEOUT_MS);
    await flush();
    expect(ssm.resumes).toEqual([]);
    expect(session.status).toEqual({ state: 'open' });
    session.close();
  });

  it('after a wake-up, resumes within the pong deadline when the socket died silently', async () => {
    const { agent, session, shell, ssm, clock } = await openShell();
    agent.stall();
    session.checkConnection();
    await flush();
    expect(ssm.resumes).toEqual([]);
    clock.advance(WAKE_PONG_TIMEOUT_MS);
    await flush();
    expect(ssm.resumes).toEqual(['sess-1']);
    await agent.opens.next();
    shell.write(new TextEncoder().encode('x'));
    expect(text((await nextOfType(agent, PayloadType.Output)).payload)).toBe('x');
    session.close();
  });

  it('pings an idle socket and finds it dead without any data to send', async () => {
    const { agent, session, ssm, clock } = await openShell();
    // Idle and healthy: pings are answered, nothing happens for minutes.
    for (let i = 0; i < 24; i++) {
      clock.advance(5000);
      await flush();
    }
    expect(ssm.resumes).toEqual([]);
    agent.stall();
    const deadline = IDLE_PING_AFTER_MS + IDLE_PONG_TIMEOUT_MS + 10_000;
    for (let waited = 0; waited < deadline && ssm.resumes.length === 0; waited += 1000) {
      clock.advance(1000);
      await flush();
    }
    expect(ssm.resumes).toEqual(['sess-1']);
    session.close();
  });

  it('does not presume death while the service says the agent is paused', async () => {
    const { agent, session, shell, clock, ssm } = await openShell();
    agent.channel.sendUnsequenced({ messageType: MessageType.PausePublication });
    await flush();
    agent.notReady = true;
    shell.write(new TextEncoder().encode('x'));
    for (let i = 0; i < 10; i++) {
      clock.advance(5000);
      await flush();
    }
    expect(ssm.resumes).toEqual([]);
    session.close();
  });

  it('waits before resuming a socket that died right after opening', async () => {
    const { agent, session, ssm, clock } = setup({
      backoff: { initialDelayMs: 100, maxDelayMs: 10_000, random: () => 1 },
    });
    session.start();
    await agent.opens.next();
    const start = clock.now();
    for (let i = 0; i < 3; i++) {
      agent.cut(); // the "server" hangs up on every open without a word
      await flush();
      expect(ssm.resumes).toHaveLength(i);
      clock.runNext();
      await agent.opens.next();
    }
    expect(ssm.resumes).toHaveLength(3);
    expect(clock.now() - start).toBe(100 + 200 + 400);
    session.close();
  });

  it('fails with a protocol error, without resuming, on a frame above the size limit', async () => {
    const { agent, session, ssm } = await openShell();
    agent.server?.sendBinary(new Uint8Array(MAX_FRAME_BYTES + 1));
    const final = await session.whenFinished();
    expect(final).toMatchObject({ state: 'error', code: 'protocol-error' });
    expect(ssm.resumes).toEqual([]);
  });

  it('fails with a protocol error when the socket reports an oversized frame (1009)', async () => {
    const { agent, session, ssm } = await openShell();
    agent.server?.close(CloseCode.MessageTooBig, 'Max payload size exceeded');
    const final = await session.whenFinished();
    expect(final).toMatchObject({ state: 'error', code: 'protocol-error' });
    expect(ssm.resumes).toEqual([]);
  });

  it('ignores publication control messages', async () => {
    const { agent, session } = await openShell();
    agent.channel.sendUnsequenced({ messageType: MessageType.PausePublication });
    agent.channel.sendUnsequenced({ messageType: MessageType.StartPublication });
    await flush();
    expect(session.status).toEqual({ state: 'open' });
    session.close();
  });
});
