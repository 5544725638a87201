// The sandbox's POST / API as a table of operations: each served operation keyed by service and name, and how a request's X-Amz-Target or form Action is looked up in it.

import type { CallContext, JsonOperation, QueryOperation, ServiceDeps } from './context';
import { EC2_OPERATIONS } from './ec2';
import { EC2_INSTANCE_CONNECT_OPERATIONS } from './ec2-instance-connect';
import { ApiError, authError, type WireProtocol } from './errors';
import { parseJsonBody } from './input';
import { KMS_OPERATIONS } from './kms';
import { SSM_OPERATIONS } from './ssm';
import { STS_OPERATIONS } from './sts';

/** One service behind POST /; its protocol decides how its answers and errors look. */
export interface ApiService {
  /** The credential-scope service name its requests must be signed for. */
  readonly signingName: string;
  readonly protocol: WireProtocol;
  /** The error for an operation the service does not have. */
  readonly unknownOperation: (requested: RequestedOperation) => ApiError;
}

/** The content of a successful (200) answer. */
export interface ApiAnswer {
  readonly contentType: string;
  readonly body: string;
}

export interface ApiOperation {
  readonly service: ApiService;
  readonly name: string;
  /** Not stopped by a credential's region denial (global STS, EC2's DescribeRegions). */
  readonly regionless: boolean;
  /** Decodes the request body, runs the operation and encodes its answer. */
  readonly run: (body: Buffer, call: CallContext, deps: ServiceDeps) => ApiAnswer;
}

/** How a request presents itself before its body is read. */
export interface RequestEnvelope {
  /** The X-Amz-Target header of a JSON 1.1 request. */
  readonly target: string | undefined;
  /** A form body without a target: a query-protocol (EC2, STS) request. */
  readonly isForm: boolean;
  /** The protocol its errors take until a service is known. */
  readonly protocol: WireProtocol;
}

/** What a request asks for, read before its signature is judged so that every error has the right shape. */
export interface RequestedOperation extends RequestEnvelope {
  readonly service: ApiService | undefined;
  /** The operation (JSON) or Action (query) name; '' when the request names none. */
  readonly name: string;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const XML_CONTENT_TYPE = 'text/xml;charset=UTF-8';

function unknownJsonOperation(requested: RequestedOperation): ApiError {
  return new ApiError('UnknownOperationException', `Unknown operation ${requested.target ?? ''}`);
}

const SSM: ApiService = {
  signingName: 'ssm',
  protocol: 'json',
  unknownOperation: unknownJsonOperation,
};
const KMS: ApiService = {
  signingName: 'kms',
  protocol: 'json',
  unknownOperation: unknownJsonOperation,
};
const EC2_INSTANCE_CONNECT: ApiService = {
  signingName: 'ec2-instance-connect',
  protocol: 'json',
  unknownOperation: unknownJsonOperation,
};
const EC2: ApiService = {
  signingName: 'ec2',
  protocol: 'ec2',
  unknownOperation: ({ name }) =>
    new ApiError('InvalidAction', `The action ${name} is not valid for this web service.`),
};
const STS: ApiService = {
  signingName: 'sts',
  protocol: 'query',
  unknownOperation: ({ name }) =>
    new ApiError('InvalidAction', `Could not find operation ${name} for version 2011-06-15`),
};

/** X-Amz-Target prefix → JSON 1.1 service. */
const JSON_SERVICES: ReadonlyMap<string, ApiService> = new Map([
  ['AmazonSSM', SSM],
  ['TrentService', KMS],
  ['AWSEC2InstanceConnectService', EC2_INSTANCE_CONNECT],
]);

/** Credential-scope service name → query-protocol service. */
const QUERY_SERVICES: ReadonlyMap<string, ApiService> = new Map([
  ['ec2', EC2],
  ['sts', STS],
]);

/** API version → service name, to answer an unsigned query request in the right shape. */
const QUERY_VERSIONS: ReadonlyMap<string, string> = new Map([
  ['2016-11-15', 'ec2'],
  ['2011-06-15', 'sts'],
]);

function jsonOperations(
  service: ApiService,
  operations: Readonly<Record<string, JsonOperation>>,
): ApiOperation[] {
  return Object.entries(operations).map(([name, operation]) => ({
    service,
    name,
    regionless: false,
    run: (body, call, deps) => ({
      contentType: JSON_CONTENT_TYPE,
      body: JSON.stringify(operation(parseJsonBody(body), call, deps)),
    }),
  }));
}

function queryOperations(
  service: ApiService,
  operations: Readonly<Record<string, QueryOperation>>,
  regionless: ReadonlySet<string>,
): ApiOperation[] {
  return Object.entries(operations).map(([name, operation]) => ({
    service,
    name,
    regionless: regionless.has(name),
    run: (body, call, deps) => ({
      contentType: XML_CONTENT_TYPE,
      body: operation(formOf(body), call, deps),
    }),
  }));
}

function operationKey(service: ApiService, name: string): string {
  return `${service.signingName}:${name}`;
}

/** Every operation the sandbox serves, by `<signing name>:<operation>`. */
const OPERATIONS: ReadonlyMap<string, ApiOperation> = new Map(
  [
    ...jsonOperations(SSM, SSM_OPERATIONS),
    ...jsonOperations(KMS, KMS_OPERATIONS),
    ...jsonOperations(EC2_INSTANCE_CONNECT, EC2_INSTANCE_CONNECT_OPERATIONS),
    ...queryOperations(EC2, EC2_OPERATIONS, new Set(['DescribeRegions'])),
    // STS is global: the sandbox's region denial does not stop signing in or assuming a role.
    ...queryOperations(STS, STS_OPERATIONS, new Set(['GetCallerIdentity', 'AssumeRole'])),
  ].map((operation) => [operationKey(operation.service, operation.name), operation]),
);

function formOf(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

export function readEnvelope(target: string | undefined, contentType: string): RequestEnvelope {
  const isForm =
    target === undefined && contentType.startsWith('application/x-www-form-urlencoded');
  return { target, isForm, protocol: isForm ? 'query' : 'json' };
}

/**
 * The service and operation a request names: a JSON request by its target's prefix, a query
 * request by the service its signature is scoped to (or, unsigned, by its API Version).
 */
export function identifyOperation(
  envelope: RequestEnvelope,
  body: Buffer,
  signedFor: string | undefined,
): RequestedOperation {
  const { target } = envelope;
  if (target !== undefined) {
    const dot = target.indexOf('.');
    const service = dot > 0 ? JSON_SERVICES.get(target.slice(0, dot)) : undefined;
    return { ...envelope, service, name: dot > 0 ? target.slice(dot + 1) : target };
  }
  if (!envelope.isForm) return { ...envelope, service: undefined, name: '' };
  const form = formOf(body);
  const serviceName = signedFor ?? QUERY_VERSIONS.get(form.get('Version') ?? '') ?? '';
  const service = QUERY_SERVICES.get(serviceName);
  return {
    ...envelope,
    protocol: service?.protocol ?? envelope.protocol,
    service,
    name: form.get('Action') ?? '',
  };
}

/** The table's entry for an authenticated request, or the error AWS gives when there is none. */
export function lookupOperation(requested: RequestedOperation, signedFor: string): ApiOperation {
  const { service } = requested;
  if (service === undefined) {
    if (requested.isForm) {
      throw new ApiError('InvalidAction', `The sandbox does not serve the '${signedFor}' service.`);
    }
    throw new ApiError(
      'UnknownOperationException',
      requested.target === undefined
        ? 'Missing X-Amz-Target header'
        : `Unknown operation ${requested.target}`,
    );
  }
  if (signedFor !== service.signingName) {
    throw authError(service.protocol, {
      ok: false,
      code: 'InvalidSignature',
      message: `Credential should be scoped to correct service: '${service.signingName}'. `,
    });
  }
  const operation = OPERATIONS.get(operationKey(service, requested.name));
  if (operation === undefined) throw service.unknownOperation(requested);
  return operation;
}
