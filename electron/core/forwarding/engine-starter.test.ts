import { describe, expect, it } from 'vitest';
import { SessionError } from '../sessions/errors';
import { classifyStartError } from './engine-starter';
import { ForwardError } from './errors';
import { parseForwardSpec } from './spec';

const spec = parseForwardSpec({
  id: 'db',
  name: 'DB',
  profile: 'dev',
  region: 'eu-west-1',
  target: 'i-0123456789abcdef0',
  remote: { kind: 'instance-port', port: 5432 },
});

/** What the AWS SDK throws for a service error. */
function sdkError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

describe('classifyStartError', () => {
  it('explains an offline target and keeps retrying it', () => {
    const error = classifyStartError(
      sdkError('TargetNotConnected', 'i-0123456789abcdef0 is not connected.'),
      spec,
    );
    expect(error).toMatchObject({ code: 'target-not-connected', transient: true });
    expect(error.message).toBe(
      'i-0123456789abcdef0 is not connected to Session Manager: the instance is stopped or offline, or its SSM agent is not running',
    );
  });

  it('tells the user to sign in again when credentials expired', () => {
    for (const name of ['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']) {
      const error = classifyStartError(
        sdkError(name, 'The security token included in the request is expired'),
        spec,
      );
      expect(error).toMatchObject({ code: 'credentials-expired', transient: false });
      expect(error.message).toMatch(
        /profile "dev" have expired; sign in again \(for SSO: aws sso login --profile dev\)/,
      );
    }
  });

  it('separates invalid credentials, access denied, bad targets and documents', () => {
    expect(classifyStartError(sdkError('UnrecognizedClientException', 'bad key'), spec).code).toBe(
      'credentials-invalid',
    );
    expect(
      classifyStartError(sdkError('AccessDeniedException', 'not authorized'), spec),
    ).toMatchObject({
      code: 'access-denied',
      message:
        'Profile "dev" may not start a port forwarding session on i-0123456789abcdef0: not authorized',
      transient: false,
    });
    expect(classifyStartError(sdkError('InvalidTarget', 'nope'), spec).code).toBe('invalid-target');
    expect(classifyStartError(sdkError('InvalidDocument', 'nope'), spec).code).toBe(
      'invalid-document',
    );
  });

  it('treats throttling, server faults and network failures as transient', () => {
    expect(classifyStartError(sdkError('ThrottlingException', 'slow down'), spec)).toMatchObject({
      code: 'throttled',
      transient: true,
    });
    expect(classifyStartError(sdkError('InternalServerError', 'oops', 500), spec)).toMatchObject({
      code: 'session-failed',
      transient: true,
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(classifyStartError(refused, spec)).toMatchObject({ code: 'network', transient: true });
  });

  it('keeps ForwardErrors and maps engine errors by code', () => {
    const own = new ForwardError('invalid-document', 'x');
    expect(classifyStartError(own, spec)).toBe(own);
    expect(classifyStartError(new SessionError('connect-failed', 'no socket'), spec)).toMatchObject(
      {
        code: 'session-failed',
        transient: true,
      },
    );
    expect(classifyStartError(new SessionError('handshake-failed', 'KMS'), spec)).toMatchObject({
      code: 'session-failed',
      transient: false,
    });
  });
});
