// The sandbox's AWS API endpoint: one POST / handler that verifies SigV4 and routes JSON 1.1 (SSM, KMS) and query (EC2, STS) requests.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../core/base/clock';
import { silentLogger, type Logger } from '../../core/base/logger';
import { verifySigV4 } from '../sigv4';
import type { CallContext, JsonOperation, QueryOperation, ServiceDeps } from './context';
import { EC2_OPERATIONS } from './ec2';
import { accessDenied, ApiError, authError, renderError, type WireProtocol } from './errors';
import { parseJsonBody } from './input';
import { KMS_OPERATIONS } from './kms';
import { createIdentityCenterHandler } from './sso';
import type { SsoApproval } from './sso-oidc';
import { SSM_OPERATIONS } from './ssm';
import { STS_OPERATIONS } from './sts';
import { toErrorMessage } from '../../core/base/errors';

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
}

export type ApiRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface JsonService {
  kind: 'json';
  signingName: string;
  operations: Readonly<Record<string, JsonOperation>>;
  /** Operations not subject to region denial (none for JSON services so far). */
  regionless?: ReadonlySet<string>;
}

interface QueryService {
  kind: 'query' | 'ec2';
  signingName: string;
  operations: Readonly<Record<string, QueryOperation>>;
  regionless?: ReadonlySet<string>;
  /** The InvalidAction message for an unknown Action. */
  unknownAction: (action: string) => string;
}

/** X-Amz-Target prefix → service. */
const JSON_SERVICES: Readonly<Record<string, JsonService>> = {
  AmazonSSM: { kind: 'json', signingName: 'ssm', operations: SSM_OPERATIONS },
  TrentService: { kind: 'json', signingName: 'kms', operations: KMS_OPERATIONS },
};

/** Credential-scope service name → query-protocol service. */
const QUERY_SERVICES: Readonly<Record<string, QueryService>> = {
  ec2: {
    kind: 'ec2',
    signingName: 'ec2',
    operations: EC2_OPERATIONS,
    regionless: new Set(['DescribeRegions']),
    unknownAction: (action) => `The action ${action} is not valid for this web service.`,
  },
  sts: {
    kind: 'query',
    signingName: 'sts',
    operations: STS_OPERATIONS,
    // STS is global: the sandbox's region denial does not stop signing in or assuming a role.
    regionless: new Set(['GetCallerIdentity', 'AssumeRole']),
    unknownAction: (action) => `Could not find operation ${action} for version 2011-06-15`,
  },
};

/** API version → service, to answer an unsigned query request in the right shape. */
const QUERY_VERSIONS: Readonly<Record<string, string>> = {
  '2016-11-15': 'ec2',
  '2011-06-15': 'sts',
};

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

interface Outcome {
  service: string;
  operation: string;
  status: number;
  errorCode?: string;
}

export function createApiHandler(options: ApiHandlerOptions): ApiRequestHandler {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const deps: ServiceDeps = {
    fleet: options.fleet,
    registry: options.registry,
    credentials: options.credentials,
    kms: options.kms,
    sessionDefaults: options.sessionDefaults,
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

  function send(
    res: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    requestId: string,
  ): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': requestId,
    });
    res.end(body);
  }

  function sendError(
    res: ServerResponse,
    protocol: WireProtocol,
    error: ApiError,
    requestId: string,
  ): void {
    const rendered = renderError(protocol, error, requestId);
    send(res, rendered.status, rendered.contentType, rendered.body, requestId);
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    outcome: Outcome,
  ): Promise<void> {
    const requestId = randomUUID();
    const target = headerValue(req, 'x-amz-target');
    const contentType = headerValue(req, 'content-type') ?? '';
    const isForm =
      target === undefined && contentType.startsWith('application/x-www-form-urlencoded');
    const fallback: WireProtocol = isForm ? 'query' : 'json';
    if (req.method !== 'POST') {
      sendError(
        res,
        fallback,
        new ApiError(
          'UnknownOperationException',
          `The sandbox's AWS API takes POST /, not ${req.method ?? ''}.`,
          404,
        ),
        requestId,
      );
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendError(
          res,
          fallback,
          new ApiError('RequestEntityTooLarge', 'Request body too large', 413),
          requestId,
        );
      }
      return;
    }
    const now = clock.now();
    const verified = verifySigV4(
      { method: req.method, url: req.url ?? '/', headers: req.headersDistinct, body },
      {
        lookup: (key) => options.credentials.lookup(key),
        now,
        ...(options.maxSkewMs !== undefined && { maxSkewMs: options.maxSkewMs }),
      },
    );

    // Pick the service and wire protocol before judging the signature, so errors have its shape.
    let jsonService: JsonService | undefined;
    let queryService: QueryService | undefined;
    let operation = '';
    let params: URLSearchParams | undefined;
    if (target !== undefined) {
      const dot = target.indexOf('.');
      jsonService =
        dot > 0 && Object.hasOwn(JSON_SERVICES, target.slice(0, dot))
          ? JSON_SERVICES[target.slice(0, dot)]
          : undefined;
      operation = dot > 0 ? target.slice(dot + 1) : target;
    } else if (isForm) {
      params = new URLSearchParams(body.toString('utf8'));
      operation = params.get('Action') ?? '';
      const signing = verified.service ?? QUERY_VERSIONS[params.get('Version') ?? ''] ?? '';
      queryService = Object.hasOwn(QUERY_SERVICES, signing) ? QUERY_SERVICES[signing] : undefined;
    }
    const protocol: WireProtocol = queryService?.kind ?? fallback;
    outcome.service = jsonService?.signingName ?? queryService?.signingName ?? 'unknown';
    outcome.operation = operation;

    if (!verified.ok) {
      const error = authError(protocol, verified);
      outcome.errorCode = error.code;
      sendError(res, protocol, error, requestId);
      return;
    }
    const credential = options.credentials.lookup(verified.accessKeyId);
    if (!credential) {
      sendError(
        res,
        protocol,
        authError(protocol, {
          ok: false,
          code: 'UnrecognizedClient',
          message: 'The security token included in the request is invalid.',
        }),
        requestId,
      );
      return;
    }
    const call: CallContext = {
      credential,
      principal: credential.principal,
      region: verified.region,
      requestId,
      now,
    };

    try {
      if (jsonService === undefined && queryService === undefined) {
        throw isForm
          ? new ApiError(
              'InvalidAction',
              `The sandbox does not serve the '${verified.service}' service.`,
            )
          : new ApiError(
              'UnknownOperationException',
              target === undefined ? 'Missing X-Amz-Target header' : `Unknown operation ${target}`,
            );
      }
      const service = (jsonService ?? queryService) as JsonService | QueryService;
      if (verified.service !== service.signingName) {
        throw authError(protocol, {
          ok: false,
          code: 'InvalidSignature',
          message: `Credential should be scoped to correct service: '${service.signingName}'. `,
        });
      }
      if (queryService) {
        if (!Object.hasOwn(queryService.operations, operation)) {
          throw new ApiError('InvalidAction', queryService.unknownAction(operation));
        }
      } else if (jsonService && !Object.hasOwn(jsonService.operations, operation)) {
        throw new ApiError('UnknownOperationException', `Unknown operation ${target ?? ''}`);
      }
      if (credential.deniedRegions.has(call.region) && !service.regionless?.has(operation)) {
        throw accessDenied(
          protocol,
          call.principal.arn,
          `${service.signingName}:${operation}`,
          `arn:aws:${service.signingName}:${call.region}:${call.principal.accountId}:*`,
        );
      }
      if (queryService && params) {
        const run = queryService.operations[operation] as QueryOperation;
        const xml = run(params, call, deps);
        send(res, 200, 'text/xml;charset=UTF-8', xml, requestId);
        outcome.status = 200;
      } else if (jsonService) {
        const run = jsonService.operations[operation] as JsonOperation;
        const result = run(parseJsonBody(body), call, deps);
        send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(result), requestId);
        outcome.status = 200;
      }
    } catch (error) {
      if (error instanceof ApiError) {
        outcome.status = error.status;
        outcome.errorCode = error.code;
        sendError(res, protocol, error, requestId);
        return;
      }
      logger.log('error', 'API operation failed', {
        service: outcome.service,
        operation,
        error: toErrorMessage(error),
      });
      outcome.status = 500;
      outcome.errorCode = protocol === 'json' ? 'InternalServerError' : 'InternalFailure';
      sendError(
        res,
        protocol,
        new ApiError(
          outcome.errorCode,
          'The sandbox failed to process the request; see its log.',
          500,
          outcome.service === 'ssm' ? 'Message' : 'message',
        ),
        requestId,
      );
    }
  }

  return (req, res) => {
    if (identityCenter(req, res)) return;
    const outcome: Outcome = { service: 'unknown', operation: '', status: 0 };
    const started = clock.now();
    handle(req, res, outcome)
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
          status: outcome.status || res.statusCode,
          ...(outcome.errorCode !== undefined && { error: outcome.errorCode }),
          ms: clock.now() - started,
        });
      });
  };
}
