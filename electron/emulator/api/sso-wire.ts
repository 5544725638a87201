// The Identity Center endpoints' REST-JSON plumbing: bounded request bodies (JSON or form) and JSON answers and errors in the shapes the SSO and OIDC SDK clients parse.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';
import { isObject, type JsonObject } from './input';
import { OidcError } from './sso-oidc';

const MAX_BODY_BYTES = 64 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: JsonObject,
  errorType?: string,
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(errorType !== undefined && { 'x-amzn-errortype': errorType }),
  });
  res.end(text);
}

/** OIDC errors in OAuth's shape (error, error_description); portal errors as { message }. */
export function sendSsoError(res: ServerResponse, error: ApiError): void {
  const body: JsonObject =
    error instanceof OidcError
      ? { error: error.oauthError, error_description: error.message }
      : { message: error.message };
  sendJson(res, error.status, body, error.code);
}

/** The body as text; a body over the limit destroys the request. */
export function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new ApiError('InvalidRequestException', 'Request body too large', 413));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** An OIDC request's JSON object body ({} when empty); anything else is invalid_request. */
export function readJson(req: IncomingMessage): Promise<JsonObject> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES && !failed) {
        failed = true;
        reject(
          new OidcError('InvalidRequestException', 'invalid_request', 'Request body too large'),
        );
      }
      if (!failed) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') {
        resolve({});
        return;
      }
      try {
        const value: unknown = JSON.parse(text);
        if (isObject(value)) {
          resolve(value);
          return;
        }
      } catch {
        // Reported below as the same error as a non-object body.
      }
      reject(
        new OidcError(
          'InvalidRequestException',
          'invalid_request',
          'The body is not a JSON object',
        ),
      );
    });
  });
}
