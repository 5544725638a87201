// The Result envelope every IPC call returns, and the closed set of error codes it can carry.
import { z } from 'zod';

/**
 * Every failure crossing IPC carries one of these codes, so the UI can react by code and never
 * has to parse a message:
 * - invalid-request: the payload did not match the channel's schema
 * - unknown-channel: no such channel (or the wrong kind, e.g. invoking an event channel)
 * - forbidden-sender: the request came from a frame or socket that is not Airlock's own UI
 * - not-found: the named instance, session, source or document does not exist
 * - aws-error: AWS (or the Local sandbox) refused the call; the message says why
 * - credentials: no usable credentials for the chosen profile (expired, missing, denied)
 * - session-failed: the data channel could not be opened or was lost for good
 * - unavailable: the connection to main is gone (browser mode socket closed, app quitting)
 * - cancelled: the user cancelled what the call waited for (a sign-in); nothing went wrong
 * - internal: a bug; the message is generic and details stay in main's log
 */
export const ERROR_CODES = [
  'invalid-request',
  'unknown-channel',
  'forbidden-sender',
  'not-found',
  'aws-error',
  'credentials',
  'session-failed',
  'unavailable',
  'cancelled',
  'internal',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.output<typeof ErrorCodeSchema>;

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** The original text behind a plain message (set by the renderer's mapping; shown on demand). */
  details: z.string().optional(),
});
export type IpcError = z.output<typeof IpcErrorSchema>;

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err = { readonly ok: false; readonly error: IpcError };
export type Result<T> = Ok<T> | Err;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err(code: ErrorCode, message: string): Err {
  return { ok: false, error: { code, message } };
}

/** The envelope's shape, checked by clients before trusting anything that came over a wire. */
export const ResultEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: IpcErrorSchema }),
]);

/**
 * Thrown by services to fail with a specific code; the router turns it into an Err. Anything
 * else thrown becomes 'internal' with a generic message.
 */
export class IpcFailure extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IpcFailure';
    this.code = code;
  }
}

/** Returns the value or throws an IpcFailure carrying the error's code (handy in UI effects). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new IpcFailure(result.error.code, result.error.message);
}
