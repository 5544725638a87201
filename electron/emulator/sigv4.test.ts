import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalUri,
  parseAuthorization,
  uriEncode,
  verifySigV4,
  type SignedRequestParts,
  type SigningSecret,
} from './sigv4';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const KEY = {
  accessKeyId: 'AKIASANDBOXTEST00001',
  secretAccessKey: 'sandbox/secret+key=0123456789abcdefghij',
};

class Captured extends Error {
  constructor(readonly parts: SignedRequestParts) {
    super('captured');
  }
}

interface CaptureOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  query?: Record<string, string>;
  systemClockOffset?: number;
}

/**
 * Lets the real SDK sign a DescribeInstanceInformation request and captures it at the HTTP layer,
 * exactly as it would go on the wire, without any network.
 */
async function signedBySdk(options: CaptureOptions = {}): Promise<SignedRequestParts> {
  const client = new SSMClient({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:4566',
    credentials: options.credentials ?? KEY,
    maxAttempts: 1,
    ...(options.systemClockOffset !== undefined && {
      systemClockOffset: options.systemClockOffset,
    }),
    requestHandler: {
      handle: (request: {
        method: string;
        path: string;
        query?: Record<string, string | string[] | null>;
        headers: Record<string, string>;
        body?: unknown;
      }) => {
        const query = Object.entries(request.query ?? {})
          .map(([k, v]) => `${uriEncode(k)}=${uriEncode(String(v ?? ''))}`)
          .join('&');
        const body =
          request.body instanceof Uint8Array || typeof request.body === 'string'
            ? Buffer.from(request.body)
            : Buffer.alloc(0);
        throw new Captured({
          method: request.method,
          url: query === '' ? request.path : `${request.path}?${query}`,
          headers: { ...request.headers },
          body,
        });
      },
    },
  });
  if (options.query) {
    const extra = options.query;
    client.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { query?: Record<string, string> };
        request.query = { ...request.query, ...extra };
        return next(args);
      },
      { step: 'build', name: 'addTestQuery' },
    );
  }
  try {
    await client.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));
  } catch (error) {
    if (error instanceof Captured) return error.parts;
    throw error;
  } finally {
    client.destroy();
  }
  throw new Error('the SDK sent nothing');
}

const lookup =
  (secrets: Record<string, SigningSecret>) =>
  (accessKeyId: string): SigningSecret | undefined =>
    secrets[accessKeyId];

const known = lookup({ [KEY.accessKeyId]: { secretAccessKey: KEY.secretAccessKey } });

function withHeader(parts: SignedRequestParts, name: string, value: string): SignedRequestParts {
  return { ...parts, headers: { ...parts.headers, [name]: value } };
}

describe('verifySigV4 against AWS test-suite vectors', () => {
  const secret = { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const now = Date.UTC(2015, 7, 30, 12, 36, 0);

  it('accepts get-vanilla', () => {
    const result = verifySigV4(
      {
        method: 'GET',
        url: '/',
        headers: {
          Host: 'example.amazonaws.com',
          'X-Amz-Date': '20150830T123600Z',
          Authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
        },
        body: new Uint8Array(),
      },
      { lookup: lookup({ AKIDEXAMPLE: secret }), now },
    );
    expect(result).toEqual({
      ok: true,
      accessKeyId: 'AKIDEXAMPLE',
      region: 'us-east-1',
      service: 'service',
      amzDate: '20150830T123600Z',
    });
  });

  it('accepts get-vanilla-query-order-key-case (parameters sorted)', () => {
    const result = verifySigV4(
      {
        method: 'GET',
        url: '/?Param2=value2&Param1=value1',
        headers: {
          Host: 'example.amazonaws.com',
          'X-Amz-Date': '20150830T123600Z',
          Authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
        },
        body: new Uint8Array(),
      },
      { lookup: lookup({ AKIDEXAMPLE: secret }), now },
    );
    expect(result.ok).toBe(true);
  });
});

describe('verifySigV4 with requests signed by the real SDK', () => {
  it('accepts the request as signed and reads region and service from the scope', async () => {
    const parts = await signedBySdk();
    const result = verifySigV4(parts, { lookup: known });
    expect(result).toMatchObject({
      ok: true,
      accessKeyId: KEY.accessKeyId,
      region: 'eu-west-1',
      service: 'ssm',
    });
  });

  it('refuses a changed body even when X-Amz-Content-Sha256 still carries the old hash', async () => {
    const parts = await signedBySdk();
    const tampered = { ...parts, body: Buffer.from('{"MaxResults":50}') };
    expect(verifySigV4(tampered, { lookup: known })).toMatchObject({
      ok: false,
      code: 'InvalidSignature',
    });
  });

  it('refuses a changed signed header but ignores unsigned ones', async () => {
    const parts = await signedBySdk();
    expect(
      verifySigV4(withHeader(parts, 'x-amz-target', 'AmazonSSM.StartSession'), { lookup: known }),
    ).toMatchObject({ ok: false, code: 'InvalidSignature' });
    expect(
      verifySigV4(withHeader(parts, 'x-forwarded-for', '10.0.0.1'), { lookup: known }).ok,
    ).toBe(true);
  });

  it('canonicalises header whitespace and case', async () => {
    const parts = await signedBySdk();
    const target = String(parts.headers['x-amz-target']);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(parts.headers))
      headers[name.toUpperCase()] = String(value);
    headers['X-AMZ-TARGET'] = `  ${target}   `;
    expect(verifySigV4({ ...parts, headers }, { lookup: known }).ok).toBe(true);
  });

  it('refuses a wrong secret, an unknown key and a missing or garbled Authorization', async () => {
    const parts = await signedBySdk({ credentials: { ...KEY, secretAccessKey: 'wrong' } });
    expect(verifySigV4(parts, { lookup: known })).toMatchObject({
      ok: false,
      code: 'InvalidSignature',
      message: expect.stringMatching(
        /^The request signature we calculated does not match/,
      ) as unknown,
      service: 'ssm',
    });
    const stranger = await signedBySdk({
      credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' },
    });
    expect(verifySigV4(stranger, { lookup: known })).toMatchObject({
      ok: false,
      code: 'UnrecognizedClient',
      message: 'The security token included in the request is invalid.',
    });
    const good = await signedBySdk();
    const { authorization: _dropped, ...headers } = good.headers;
    expect(verifySigV4({ ...good, headers }, { lookup: known })).toMatchObject({
      ok: false,
      code: 'MissingAuthenticationToken',
    });
    expect(
      verifySigV4(withHeader(good, 'authorization', 'AWS4-HMAC-SHA256 nonsense'), {
        lookup: known,
      }),
    ).toMatchObject({
      ok: false,
      code: 'IncompleteSignature',
    });
    const flipped = String(good.headers.authorization).replace(
      /Signature=(.)/,
      (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`,
    );
    expect(
      verifySigV4(withHeader(good, 'authorization', flipped), { lookup: known }),
    ).toMatchObject({
      ok: false,
      code: 'InvalidSignature',
    });
  });

  it('checks query parameters, whatever their order on the wire', async () => {
    const parts = await signedBySdk({ query: { zeta: 'last value', alpha: 'a/b*c', 'x-y': '' } });
    expect(parts.url).toContain('?');
    expect(verifySigV4(parts, { lookup: known }).ok).toBe(true);
    const [path, query = ''] = parts.url.split('?');
    const reordered = `${path}?${query.split('&').reverse().join('&')}`;
    expect(verifySigV4({ ...parts, url: reordered }, { lookup: known }).ok).toBe(true);
    const changed = parts.url.replace('last%20value', 'other');
    expect(verifySigV4({ ...parts, url: changed }, { lookup: known })).toMatchObject({
      ok: false,
      code: 'InvalidSignature',
    });
  });

  it('refuses requests from a skewed clock, in both directions', async () => {
    const parts = await signedBySdk();
    const signedAt = Date.parse(
      String(parts.headers['x-amz-date']).replace(
        /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
        '$1-$2-$3T$4:$5:$6Z',
      ),
    );
    expect(verifySigV4(parts, { lookup: known, now: signedAt + 10 * 60_000 }).ok).toBe(true);
    expect(verifySigV4(parts, { lookup: known, now: signedAt + 16 * 60_000 })).toMatchObject({
      ok: false,
      code: 'SignatureExpired',
      message: expect.stringMatching(
        /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
      ) as unknown,
    });
    expect(verifySigV4(parts, { lookup: known, now: signedAt - 16 * 60_000 })).toMatchObject({
      ok: false,
      code: 'SignatureExpired',
      message: expect.stringMatching(/^Signature not yet current/) as unknown,
    });
  });

  it('requires the matching session token for temporary credentials, and refuses expired ones', async () => {
    const temporary = {
      accessKeyId: 'ASIATEMPORARY0000001',
      secretAccessKey: 'temp-secret',
      sessionToken: 'token-1',
    };
    const parts = await signedBySdk({ credentials: temporary });
    const store = (token: string, expiresAt?: number) =>
      lookup({
        [temporary.accessKeyId]: {
          secretAccessKey: temporary.secretAccessKey,
          sessionToken: token,
          ...(expiresAt !== undefined && { expiresAt }),
        },
      });
    expect(verifySigV4(parts, { lookup: store('token-1') }).ok).toBe(true);
    expect(verifySigV4(parts, { lookup: store('token-2') })).toMatchObject({
      ok: false,
      code: 'UnrecognizedClient',
    });
    expect(verifySigV4(parts, { lookup: store('token-1', Date.now() - 1) })).toMatchObject({
      ok: false,
      code: 'ExpiredToken',
    });
    // A long-term key used with a token is refused too.
    expect(
      verifySigV4(parts, {
        lookup: lookup({ [temporary.accessKeyId]: { secretAccessKey: 'temp-secret' } }),
      }),
    ).toMatchObject({
      ok: false,
      code: 'UnrecognizedClient',
    });
  });

  it('refuses a scope date that differs from X-Amz-Date', async () => {
    const parts = await signedBySdk();
    const auth = String(parts.headers.authorization).replace(/\/(\d{8})\//, '/19990101/');
    expect(verifySigV4(withHeader(parts, 'authorization', auth), { lookup: known })).toMatchObject({
      ok: false,
      code: 'InvalidSignature',
      message: expect.stringContaining('Date in Credential scope does not match') as unknown,
    });
  });
});

describe('SigV4 building blocks', () => {
  it('parses the Authorization header', () => {
    expect(
      parseAuthorization(
        'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ssm/aws4_request, SignedHeaders=Host;X-Amz-Date, Signature=' +
          'a'.repeat(64),
      ),
    ).toEqual({
      accessKeyId: 'AKID',
      date: '20250101',
      region: 'us-east-1',
      service: 'ssm',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'a'.repeat(64),
    });
    expect(
      parseAuthorization(
        'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ssm, SignedHeaders=host, Signature=aa',
      ),
    ).toBeUndefined();
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
  });

  it('encodes the canonical URI twice and drops dot segments', () => {
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('')).toBe('/');
    expect(canonicalUri('/a/./b/../c')).toBe('/a/c');
    expect(canonicalUri('/v1/data%20channel/x')).toBe('/v1/data%2520channel/x');
    expect(canonicalUri('/dir/')).toBe('/dir/');
  });

  it('sorts and re-encodes the canonical query', () => {
    expect(canonicalQuery('b=2&a=1&a=0')).toBe('a=0&a=1&b=2');
    expect(canonicalQuery('key=a b&star=*&t=%7E')).toBe('key=a%20b&star=%2A&t=~');
    expect(canonicalQuery('flag')).toBe('flag=');
    expect(canonicalQuery('bad=%zz')).toBe('bad=%25zz');
  });
});
