// The sandbox's AWS API endpoint: one POST / handler that reads the request, verifies SigV4, dispatches through the operation table (JSON 1.1 SSM and KMS, query EC2 and STS) and renders errors in the caller's protocol.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../core/base/clock';
import { toErrorMessage } from '../../core/base/errors';
import { silentLogger, type Logger } from '../../core/base/logger';
import { UNRECOGNIZED_CLIENT_MESSAGE, verifySigV4 } from '../sigv4';
import type { CallContext, ServiceDeps } from './context';
import { accessDenied, ApiError, authError, renderError, type WireProtocol } from './errors';
import {
  identifyOperation,
  lookupOperation,
  readEnvelope,
  type ApiAnswer,
  type ApiOperation,
  type RequestEnvelope,
  type RequestedOperation,
} from './operations';
import { createIdentityCenterHandler } from './sso';
import { OPT_IN_REGIONS } from './ec2';
import type { ApiThrottle } from './throttle';
import type { SsoApproval } from './sso-oidc';

/** Larger bodies are refused before parsing; no operation the sandbox serves comes close. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiHandlerOptions extends ServiceDeps {
  clock?: Clock;
  logger?: Logger;
  /** Largest accepted clock difference of a signed request (default 15 minutes). */
  maxSkewMs?: number;
  /** Who approves Identity Center device logins. */
  ssoApproval: SsoApproval;
  /** The sandbox's own address, for the Identity Center sign-in page's link. */
  endpoint: string;
  /** Rate limits that answer with the service's throttling error (default: none). */
  throttle?: ApiThrottle;
}

export type ApiRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What the call log keeps of one request: operation names and outcomes, never tokens or keys. */
interface Outcome {
  service: string;
  operation: string;
  status: number;
  errorCode?: string;
  /** The signed-for region (a region is no secret; it shows which regions a client called). */
  region?: string;
}

/** Writes the one answer of a request, with its request id, and notes the outcome for the call log. */
class ApiReply {
  readonly requestId = randomUUID();

  constructor(
    private readonly res: ServerResponse,
    private readonly outcome: Outcome,
  ) {}

  succeed(answer: ApiAnswer): void {
    this.outcome.status = 200;
    this.write(200, answer.contentType, answer.body);
  }

  fail(protocol: WireProtocol, error: ApiError): void {
    this.outcome.status = error.status;
    this.outcome.errorCode = error.code;
    const rendered = renderError(protocol, error, this.requestId);
    this.write(rendered.status, rendered.contentType, rendered.body);
  }

  private write(status: number, contentType: string, body: string): void {
    if (this.res.headersSent || this.res.destroyed) return;
    // Encoded once: a large page's text would otherwise be measured, then encoded again to send.
    const bytes = Buffer.from(body, 'utf8');
    this.res.writeHead(status, {
      'content-type': contentType,
      'content-length': bytes.length,
      'x-amzn-requestid': this.requestId,
    });
    this.res.end(bytes);
  }
}

/** The body of a POST / request, or undefined once the request is refused (or its client is gone). */
async function receiveBody(
  req: IncomingMessage,
  envelope: RequestEnvelope,
  reply: ApiReply,
): Promise<Buffer | undefined> {
  if (req.method !== 'POST') {
    const message = `The sandbox's AWS API takes POST /, not ${req.method ?? ''}.`;
    reply.fail(envelope.protocol, new ApiError('UnknownOperationException', message, 404));
    return undefined;
  }
  try {
    return await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      const tooLarge = new ApiError('RequestEntityTooLarge', 'Request body too large', 413);
      reply.fail(envelope.protocol, tooLarge);
    }
    return undefined;
  }
}

/** The sandbox's region denial: a denied region answers AccessDenied except for global operations. */
function assertRegionAllowed(operation: ApiOperation, call: CallContext): void {
  if (operation.regionless || !call.credential.deniedRegions.has(call.region)) return;
  const { signingName, protocol } = operation.service;
  throw accessDenied(
    protocol,
    call.principal.arn,
    `${signingName}:${operation.name}`,
    `arn:aws:${signingName}:${call.region}:${call.principal.accountId}:*`,
  );
}

/**
 * An opt-in region the account has not enabled (one the fleet does not use) does not know its
 * credentials: AWS answers there as for an unknown access key.
 */
function assertRegionEnabled(
  operation: ApiOperation,
  call: CallContext,
  fleetRegions: readonly string[],
): void {
  if (operation.regionless || !OPT_IN_REGIONS.includes(call.region)) return;
  if (fleetRegions.includes(call.region)) return;
  throw authError(operation.service.protocol, {
    ok: false,
    code: 'UnrecognizedClient',
    message: UNRECOGNIZED_CLIENT_MESSAGE,
  });
}

/** What a client sees of an operation's unexpected failure: a 500 in its service's shape. */
function internalError(requested: RequestedOperation): ApiError {
  return new ApiError(
    requested.protocol === 'json' ? 'InternalServerError' : 'InternalFailure',
    'The sandbox failed to process the request; see its log.',
    500,
    requested.service?.signingName === 'ssm' ? 'Message' : 'message',
  );
}

export function createApiHandler(options: ApiHandlerOptions): ApiRequestHandler {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const deps: ServiceDeps = {
    fleet: options.fleet,
    registry: options.registry,
    credentials: options.credentials,
    kms: options.kms,
    sshKeys: options.sshKeys,
    preferences: options.preferences,
  };
  // IAM Identity Center (OIDC and portal) shares the endpoint, told apart by its REST paths.
  const identityCenter = createIdentityCenterHandler({
    fleet: options.fleet,
    credentials: options.credentials,
    clock,
    logger: logger.child('sso'),
    approval: options.ssoApproval,
    baseUrl: options.endpoint,
  });

  /** Reads, authenticates and dispatches one request through the operation table. */
  async function handle(req: IncomingMessage, reply: ApiReply, outcome: Outcome): Promise<void> {
    const envelope = readEnvelope(
      headerValue(req, 'x-amz-target'),
      headerValue(req, 'content-type') ?? '',
    );
    const body = await receiveBody(req, envelope, reply);
    if (body === undefined) return;
    const now = clock.now();
    // receiveBody admits POST requests only.
    const verified = verifySigV4(
      { method: 'POST', url: req.url ?? '/', headers: req.headersDistinct, body },
      {
        lookup: (key) => options.credentials.lookup(key),
        now,
        ...(options.maxSkewMs !== undefined && { maxSkewMs: options.maxSkewMs }),
      },
    );
    // Pick the service and wire protocol before judging the signature, so errors have its shape.
    const requested = identifyOperation(envelope, body, verified.service);
    const { protocol } = requested;
    outcome.service = requested.service?.signingName ?? 'unknown';
    if (verified.ok) outcome.region = verified.region;
    outcome.operation = requested.name;
    if (!verified.ok) {
      reply.fail(protocol, authError(protocol, verified));
      return;
    }
    const credential = options.credentials.lookup(verified.accessKeyId);
    if (!credential) {
      const unknownKey = authError(protocol, {
        ok: false,
        code: 'UnrecognizedClient',
        message: UNRECOGNIZED_CLIENT_MESSAGE,
      });
      reply.fail(protocol, unknownKey);
      return;
    }
    const call: CallContext = {
      credential,
      principal: credential.principal,
      region: verified.region,
      requestId: reply.requestId,
      now,
    };
    try {
      const operation = lookupOperation(requested, verified.service);
      assertRegionEnabled(operation, call, deps.fleet.regions);
      assertRegionAllowed(operation, call);
      options.throttle?.take(protocol, operation.name, call.principal.accountId, call.region);
      reply.succeed(operation.run(body, call, deps));
    } catch (error) {
      if (error instanceof ApiError) {
        reply.fail(protocol, error);
        return;
      }
      logger.log('error', 'API operation failed', {
        service: outcome.service,
        operation: outcome.operation,
        error: toErrorMessage(error),
      });
      reply.fail(protocol, internalError(requested));
    }
  }

  return (req, res) => {
    if (identityCenter(req, res)) return;
    const outcome: Outcome = { service: 'unknown', operation: '', status: 0 };
    const started = clock.now();
    handle(req, new ApiReply(res, outcome), outcome)
      .catch((error: unknown) => {
        logger.log('error', 'API request failed', {
          error: toErrorMessage(error),
        });
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error');
        }
      })
      .finally(() => {
        // Operation names and outcomes only: never tokens, keys or stream URLs.
        logger.log('info', 'API call', {
          service: outcome.service,
          operation: outcome.operation,
          ...(outcome.region !== undefined && { region: outcome.region }),
          status: outcome.status || res.statusCode,
          ...(outcome.errorCode !== undefined && { error: outcome.errorCode }),
          ms: clock.now() - started,
        });
      });
  };
}
