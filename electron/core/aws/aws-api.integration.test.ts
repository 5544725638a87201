import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKmsApi } from './kms-api';
import { AwsApiError, createSsmApi, toAwsApiError } from './ssm-api';

interface Seen {
  target: string;
  body: Record<string, unknown>;
}

// A loopback stand-in for the AWS JSON 1.1 endpoints: answers by X-Amz-Target.
function fakeAws(name: string, seen: Seen[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
        string,
        unknown
      >;
      seen.push({ target: `${name}:${target}`, body });
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(json));
      };
      switch (target) {
        case 'AmazonSSM.StartSession':
          return reply(200, { SessionId: 's-1', TokenValue: 'tok', StreamUrl: 'ws://x/s-1' });
        case 'AmazonSSM.ResumeSession':
          if (body.SessionId === 'gone') {
            return reply(400, { __type: 'DoesNotExistException', message: 'no such session' });
          }
          return reply(200, { SessionId: body.SessionId, TokenValue: '' });
        case 'AmazonSSM.TerminateSession':
          return reply(200, { SessionId: body.SessionId });
        case 'TrentService.GenerateDataKey':
          return reply(200, {
            KeyId: body.KeyId,
            Plaintext: Buffer.alloc(64, 7).toString('base64'),
            CiphertextBlob: Buffer.from('blob').toString('base64'),
          });
        default:
          return reply(400, { __type: 'UnknownOperationException', message: target });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const seen: Seen[] = [];
let primary: { server: Server; url: string };
let decoy: { server: Server; url: string };
const savedEnv = { ...process.env };

beforeAll(async () => {
  primary = await fakeAws('primary', seen);
  decoy = await fakeAws('decoy', seen);
});
afterAll(() => {
  primary.server.close();
  decoy.server.close();
});
afterEach(() => {
  seen.length = 0;
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSM', 'AWS_ENDPOINT_URL_KMS']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

describe('createSsmApi', () => {
  it('calls StartSession, ResumeSession and TerminateSession', async () => {
    const ssm = createSsmApi({ region: 'us-east-1', credentials, endpoint: primary.url });
    await expect(
      ssm.startSession({
        target: 'i-1',
        documentName: 'AWS-StartSSHSession',
        parameters: { portNumber: ['22'] },
      }),
    ).resolves.toEqual({ sessionId: 's-1', tokenValue: 'tok', streamUrl: 'ws://x/s-1' });
    await expect(ssm.resumeSession('s-1')).resolves.toEqual({ tokenValue: '', streamUrl: '' });
    await expect(ssm.terminateSession('s-1')).resolves.toBeUndefined();
    expect(seen.map((s) => s.target)).toEqual([
      'primary:AmazonSSM.StartSession',
      'primary:AmazonSSM.ResumeSession',
      'primary:AmazonSSM.TerminateSession',
    ]);
    expect(seen[0]?.body).toEqual({
      Target: 'i-1',
      DocumentName: 'AWS-StartSSHSession',
      Parameters: { portNumber: ['22'] },
    });
    ssm.destroy();
  });

  it('maps DoesNotExistException to a non-transient AwsApiError', async () => {
    const ssm = createSsmApi({ region: 'us-east-1', credentials, endpoint: primary.url });
    const error = await ssm.resumeSession('gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsApiError);
    expect(error).toMatchObject({
      code: 'DoesNotExistException',
      transient: false,
      httpStatus: 400,
    });
    ssm.destroy();
  });

  it('lets an explicit endpoint win over AWS_ENDPOINT_URL_SSM, and honours the variable otherwise', async () => {
    process.env.AWS_ENDPOINT_URL_SSM = decoy.url;
    const explicit = createSsmApi({ region: 'us-east-1', credentials, endpoint: primary.url });
    await explicit.terminateSession('a');
    const fromEnv = createSsmApi({ region: 'us-east-1', credentials });
    await fromEnv.terminateSession('b');
    expect(seen.map((s) => s.target)).toEqual([
      'primary:AmazonSSM.TerminateSession',
      'decoy:AmazonSSM.TerminateSession',
    ]);
    explicit.destroy();
    fromEnv.destroy();
  });
});

describe('createKmsApi', () => {
  it('honours AWS_ENDPOINT_URL_KMS and sends NumberOfBytes and the context', async () => {
    process.env.AWS_ENDPOINT_URL_KMS = primary.url;
    process.env.AWS_ENDPOINT_URL = decoy.url;
    const kms = createKmsApi({ region: 'us-east-1', credentials });
    const key = await kms.generateDataKey({
      keyId: 'alias/k',
      numberOfBytes: 64,
      encryptionContext: { 'aws:ssm:SessionId': 's', 'aws:ssm:TargetId': 'i-1' },
    });
    expect(key.plaintext).toHaveLength(64);
    expect(Buffer.from(key.ciphertextBlob).toString()).toBe('blob');
    expect(seen).toEqual([
      {
        target: 'primary:TrentService.GenerateDataKey',
        body: {
          KeyId: 'alias/k',
          NumberOfBytes: 64,
          EncryptionContext: { 'aws:ssm:SessionId': 's', 'aws:ssm:TargetId': 'i-1' },
        },
      },
    ]);
    kms.destroy();
  });
});

describe('toAwsApiError', () => {
  it('treats network failures, throttling and server faults as transient', () => {
    expect(
      toAwsApiError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({
      code: 'ECONNREFUSED',
      transient: true,
    });
    expect(
      toAwsApiError({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    ).toMatchObject({ transient: true });
    expect(
      toAwsApiError({
        name: 'InternalServerError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      }),
    ).toMatchObject({ transient: true });
    expect(
      toAwsApiError({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    ).toMatchObject({ code: 'AccessDeniedException', transient: false, httpStatus: 403 });
    expect(toAwsApiError('boom')).toMatchObject({ code: 'Unknown', message: 'boom' });
  });
});
