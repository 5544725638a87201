// API errors with the codes, HTTP statuses and body shapes AWS uses, so SDK clients raise the right typed exceptions.

import type { SigV4Failure } from '../sigv4';
import { xmlDocument, xmlElement } from './xml';

/** The wire protocols the sandbox speaks; they differ in how errors look. */
export type WireProtocol = 'json' | 'query' | 'ec2';

/** A service error an operation throws; the handler renders it for the request's protocol. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The AWS error code, e.g. `InvalidTarget`; SDK clients use it as the exception name. */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** JSON member name of the message: SSM's modeled errors use `Message`, most others `message`. */
    readonly messageKey: 'message' | 'Message' = 'message',
  ) {
    super(message);
  }
}

/** Thrown by JSON 1.1 operations for an SSM error (SSM's exception shapes name the member `Message`). */
export function ssmError(code: string, message: string, status = 400): ApiError {
  return new ApiError(code, message, status, 'Message');
}

export interface RenderedError {
  status: number;
  contentType: string;
  body: string;
}

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function renderError(
  protocol: WireProtocol,
  error: ApiError,
  requestId: string,
): RenderedError {
  switch (protocol) {
    case 'json':
      return {
        status: error.status,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({ __type: error.code, [error.messageKey]: error.message }),
      };
    case 'query':
      return {
        status: error.status,
        contentType: 'text/xml',
        body: xmlDocument(
          xmlElement(
            'ErrorResponse',
            [
              xmlElement('Error', [
                xmlElement('Type', error.status >= 500 ? 'Receiver' : 'Sender'),
                xmlElement('Code', error.code),
                xmlElement('Message', error.message),
              ]),
              xmlElement('RequestId', requestId),
            ],
            STS_NAMESPACE,
          ),
        ),
      };
    case 'ec2':
      return {
        status: error.status,
        contentType: 'text/xml;charset=UTF-8',
        body: xmlDocument(
          xmlElement('Response', [
            xmlElement('Errors', [
              xmlElement('Error', [
                xmlElement('Code', error.code),
                xmlElement('Message', error.message),
              ]),
            ]),
            xmlElement('RequestID', requestId),
          ]),
        ),
      };
  }
}

const AUTH_ERRORS: Record<
  WireProtocol,
  Record<SigV4Failure['code'], { code: string; status: number; message?: string }>
> = {
  json: {
    MissingAuthenticationToken: { code: 'MissingAuthenticationTokenException', status: 400 },
    IncompleteSignature: { code: 'IncompleteSignatureException', status: 400 },
    UnrecognizedClient: { code: 'UnrecognizedClientException', status: 400 },
    ExpiredToken: { code: 'ExpiredTokenException', status: 400 },
    InvalidSignature: { code: 'InvalidSignatureException', status: 400 },
    SignatureExpired: { code: 'InvalidSignatureException', status: 400 },
  },
  query: {
    MissingAuthenticationToken: {
      code: 'MissingAuthenticationToken',
      status: 403,
      message: 'Request is missing Authentication Token',
    },
    IncompleteSignature: { code: 'IncompleteSignature', status: 400 },
    UnrecognizedClient: { code: 'InvalidClientTokenId', status: 403 },
    ExpiredToken: { code: 'ExpiredToken', status: 403 },
    InvalidSignature: { code: 'SignatureDoesNotMatch', status: 403 },
    SignatureExpired: { code: 'SignatureDoesNotMatch', status: 403 },
  },
  ec2: {
    MissingAuthenticationToken: {
      code: 'MissingAuthenticationToken',
      status: 401,
      message: 'Request is missing Authentication Token',
    },
    IncompleteSignature: { code: 'IncompleteSignature', status: 400 },
    UnrecognizedClient: {
      code: 'AuthFailure',
      status: 401,
      message: 'AWS was not able to validate the provided access credentials',
    },
    ExpiredToken: { code: 'RequestExpired', status: 400, message: 'Request has expired.' },
    InvalidSignature: { code: 'SignatureDoesNotMatch', status: 403 },
    SignatureExpired: { code: 'RequestExpired', status: 400 },
  },
};

/** The error each protocol's real endpoint returns for a failed signature check. */
export function authError(protocol: WireProtocol, failure: SigV4Failure): ApiError {
  const shape = AUTH_ERRORS[protocol][failure.code];
  return new ApiError(shape.code, shape.message ?? failure.message, shape.status);
}

/** "User: … is not authorized to perform: …" in each protocol's access-denied shape. */
export function accessDenied(
  protocol: WireProtocol,
  principalArn: string,
  action: string,
  resource: string,
): ApiError {
  const reason = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
  switch (protocol) {
    case 'ec2':
      return new ApiError(
        'UnauthorizedOperation',
        `You are not authorized to perform this operation. ${reason}`,
        403,
      );
    case 'query':
      return new ApiError('AccessDenied', reason, 403);
    case 'json':
      return new ApiError('AccessDeniedException', reason, 400);
  }
}
