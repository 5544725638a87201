import { describe, expect, it } from 'vitest';
import { PayloadType, buildHandshakeRequestPayload } from '../datachannel/codec';
import { ClassifiedAwsCallError, classifyAwsError } from '../aws/errors';
import type { GenerateDataKeyInput, KmsApi } from '../aws/kms-api';
import type { ResumedSession, SsmApi, StartSessionInput, StartedSession } from '../aws/ssm-api';
import { silentLogger } from '../base/logger';
import { FakeClock } from '../testing/fake-clock';
import { FakeAgent } from './fake-agent';
import { launchSession, openStartedSession, requestSession } from './launcher';

class FakeSsm implements SsmApi {
  readonly starts: StartSessionInput[] = [];
  readonly terminations: string[] = [];
  /** What the next StartSession throws, if anything. */
  refusal: Error | undefined;

  startSession(input: StartSessionInput): Promise<StartedSession> {
    this.starts.push(input);
    if (this.refusal !== undefined) return Promise.reject(this.refusal);
    return Promise.resolve({
      sessionId: 'sess-7',
      tokenValue: 'start-token',
      streamUrl: 'ws://127.0.0.1:1/v1/data-channel/sess-7',
    });
  }

  resumeSession(): Promise<ResumedSession> {
    return Promise.resolve({ tokenValue: '', streamUrl: '' });
  }

  terminateSession(sessionId: string): Promise<void> {
    this.terminations.push(sessionId);
    return Promise.resolve();
  }
}

/** A KMS port that records the encryption context it is asked for. */
function recordingKms(calls: GenerateDataKeyInput[]): KmsApi {
  return {
    generateDataKey(input) {
      calls.push(input);
      return Promise.resolve({
        plaintext: new Uint8Array(64).fill(1),
        ciphertextBlob: Uint8Array.of(1),
      });
    },
  };
}

function sdkError(name: string, status: number) {
  return Object.assign(new Error(`${name} from the service`), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}

describe('requestSession', () => {
  it('returns what StartSession answered', async () => {
    const ssm = new FakeSsm();
    const input = { target: 'i-0123456789abcdef0', documentName: 'AWS-StartInteractiveCommand' };
    await expect(requestSession(ssm, input)).resolves.toMatchObject({ sessionId: 'sess-7' });
    expect(ssm.starts).toEqual([input]);
  });

  it('rejects with the classified refusal, keeping the service message and the cause', async () => {
    const ssm = new FakeSsm();
    const refusal = sdkError('TargetNotConnected', 400);
    ssm.refusal = refusal;
    const error: unknown = await requestSession(ssm, { target: 'i-0123456789abcdef0' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ClassifiedAwsCallError);
    expect(error).toMatchObject({
      message: 'TargetNotConnected from the service',
      cause: refusal,
      classified: { kind: 'target-not-connected', code: 'TargetNotConnected' },
    });
    expect(classifyAwsError(error).kind).toBe('target-not-connected');
  });
});

describe('launchSession', () => {
  it('starts the session, opens its data channel with the token and names the target to KMS', async () => {
    const clock = new FakeClock();
    const agent = new FakeAgent(clock);
    const ssm = new FakeSsm();
    const kmsCalls: GenerateDataKeyInput[] = [];
    const sessionIds: string[] = [];
    const session = await launchSession(
      { target: 'i-0123456789abcdef0' },
      {
        apis: { ssm, kms: recordingKms(kmsCalls) },
        clock,
        connect: agent.connect,
        loggerFor: (sessionId) => {
          sessionIds.push(sessionId);
          return silentLogger;
        },
      },
    );
    expect(session.sessionId).toBe('sess-7');
    expect(sessionIds).toEqual(['sess-7']);
    expect(await agent.opens.next()).toMatchObject({ tokenValue: 'start-token' });
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [{ actionType: 'KMSEncryption', kmsKeyId: 'alias/ssm', challenge: 'Yw==' }],
      }),
    );
    await agent.messages.next();
    expect(kmsCalls[0]?.encryptionContext).toMatchObject({
      'aws:ssm:SessionId': 'sess-7',
      'aws:ssm:TargetId': 'i-0123456789abcdef0',
    });
    session.close();
  });

  it('opens nothing when StartSession is refused', async () => {
    const clock = new FakeClock();
    const agent = new FakeAgent(clock);
    const ssm = new FakeSsm();
    ssm.refusal = sdkError('ExpiredTokenException', 400);
    await expect(
      launchSession({ target: 'i-0123456789abcdef0' }, { apis: { ssm }, connect: agent.connect }),
    ).rejects.toMatchObject({ classified: { kind: 'expired-credentials' } });
    expect(agent.connects).toBe(0);
  });
});

describe('openStartedSession', () => {
  it('opens a session someone else started, refusing KMS when no KMS client is given', async () => {
    const clock = new FakeClock();
    const agent = new FakeAgent(clock);
    const ssm = new FakeSsm();
    const session = openStartedSession(
      { sessionId: 'sess-9', tokenValue: 'cli-token', streamUrl: 'ws://127.0.0.1:1/x' },
      {
        targetId: 'i-0123456789abcdef0',
        apis: { ssm, kmsUnavailableReason: 'this invocation has no KMS access' },
        clock,
        connect: agent.connect,
      },
    );
    const statuses: string[] = [];
    session.onStatus((status) => statuses.push(status.state));
    expect(await agent.opens.next()).toMatchObject({ tokenValue: 'cli-token' });
    expect(statuses).toContain('connecting');
    agent.send(
      PayloadType.HandshakeRequest,
      buildHandshakeRequestPayload({
        agentVersion: '3.3.0.0',
        actions: [{ actionType: 'KMSEncryption', kmsKeyId: 'alias/ssm' }],
      }),
    );
    const status = await session.whenFinished();
    expect(status).toMatchObject({ state: 'error', code: 'handshake-failed' });
    expect(status.state === 'error' && status.message).toMatch(/no KMS access/);
    expect(ssm.terminations).toEqual(['sess-9']);
  });
});
