// AWS Signature Version 4 verification for the sandbox: rebuilds the canonical request and checks the signature in constant time.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What the verifier needs from an HTTP request. Header names in any case. */
export interface SignedRequestParts {
  method: string;
  /** The request target as received: path plus optional `?query`, still percent-encoded. */
  url: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body: Uint8Array;
}

/** The secret side of an access key, as the verifier's lookup returns it. */
export interface SigningSecret {
  secretAccessKey: string;
  /** Temporary credentials: the request must carry this as X-Amz-Security-Token. */
  sessionToken?: string;
  /** Epoch milliseconds; temporary credentials past it are refused as expired. */
  expiresAt?: number;
}

export type SigV4FailureCode =
  /** No Authorization header (and no query signature). */
  | 'MissingAuthenticationToken'
  /** An Authorization header that cannot be parsed, or misses required parts. */
  | 'IncompleteSignature'
  /** The access key is unknown, or its session token is missing or wrong. */
  | 'UnrecognizedClient'
  /** Temporary credentials past their expiry. */
  | 'ExpiredToken'
  /** The signature does not match, or the scope is wrong. */
  | 'InvalidSignature'
  /** The request time is too far from the server's clock. */
  | 'SignatureExpired';

export interface SigV4Failure {
  ok: false;
  code: SigV4FailureCode;
  /** AWS's own wording where known; safe to return to the caller (contains no secrets). */
  message: string;
  /** The service named in the credential scope, when the header could be parsed. */
  service?: string;
}

export interface SigV4Success {
  ok: true;
  accessKeyId: string;
  /** From the credential scope: `<date>/<region>/<service>/aws4_request`. */
  region: string;
  service: string;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
}

export type SigV4Result = SigV4Success | SigV4Failure;

export interface VerifyOptions {
  lookup: (accessKeyId: string) => SigningSecret | undefined;
  /** Epoch milliseconds used for the clock-skew and expiry checks (default Date.now()). */
  now?: number;
  /** Largest accepted difference between the request time and now (default 15 minutes). */
  maxSkewMs?: number;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const UNRECOGNIZED_CLIENT_MESSAGE = 'The security token included in the request is invalid.';

function header(parts: SignedRequestParts, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(parts.headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(',');
  }
  return undefined;
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ssm/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=<hex>`; undefined when any part is missing.
 */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const piece of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return undefined;
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return undefined;
  const [accessKeyId = '', date = '', region = '', service = ''] = scope;
  if (!accessKeyId || !/^\d{8}$/.test(date) || !region || !service) return undefined;
  if (!/^[0-9a-f]{64}$/.test(signature)) return undefined;
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature,
  };
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, upper-case hex. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed escape stays as sent; the signature then simply does not match.
    return text;
  }
}

/**
 * Canonical URI for every service but S3: dot segments and empty segments removed, then each
 * segment encoded again (the path on the wire is already encoded once).
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  if (segments.length === 0) return '/';
  const trailing = path.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

/** Canonical query string: parameters decoded, re-encoded, sorted by name then value. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    if (name === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(safeDecode(name)), uriEncode(safeDecode(value))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The canonical request of SigV4. The payload hash is always computed from the body received, so
 * a body changed after signing fails even if X-Amz-Content-Sha256 still carries the old hash.
 */
export function canonicalRequest(
  parts: SignedRequestParts,
  signedHeaders: readonly string[],
): string {
  const q = parts.url.indexOf('?');
  const path = q < 0 ? parts.url : parts.url.slice(0, q);
  const query = q < 0 ? '' : parts.url.slice(q + 1);
  const headerLines = signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(header(parts, name) ?? '')}\n`,
  );
  return [
    parts.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    headerLines.join(''),
    signedHeaders.join(';'),
    sha256Hex(parts.body),
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** `YYYYMMDDTHHMMSSZ` → epoch milliseconds, or NaN. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0);
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function fail(code: SigV4FailureCode, message: string, service?: string): SigV4Failure {
  return service === undefined
    ? { ok: false, code, message }
    : { ok: false, code, message, service };
}

/** Verifies a request signed with an `Authorization: AWS4-HMAC-SHA256 …` header. */
export function verifySigV4(parts: SignedRequestParts, options: VerifyOptions): SigV4Result {
  const authorization = header(parts, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return fail('MissingAuthenticationToken', 'Missing Authentication Token');
  }
  const auth = parseAuthorization(authorization);
  if (!auth) {
    return fail(
      'IncompleteSignature',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and the algorithm ${ALGORITHM}. Authorization=${authorization.split(' ')[0] ?? ''}`,
    );
  }
  const { service } = auth;
  if (!auth.signedHeaders.includes('host')) {
    return fail(
      'IncompleteSignature',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      service,
    );
  }
  const amzDate = header(parts, 'x-amz-date');
  const dateHeader = header(parts, 'date');
  let requestTime: number;
  let stamp: string;
  if (amzDate !== undefined) {
    requestTime = parseAmzDate(amzDate.trim());
    stamp = amzDate.trim();
  } else if (dateHeader !== undefined) {
    requestTime = Date.parse(dateHeader);
    stamp = Number.isNaN(requestTime) ? '' : formatAmzDate(requestTime);
  } else {
    requestTime = Number.NaN;
    stamp = '';
  }
  if (Number.isNaN(requestTime)) {
    return fail(
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      service,
    );
  }

  const secret = options.lookup(auth.accessKeyId);
  if (!secret) return fail('UnrecognizedClient', UNRECOGNIZED_CLIENT_MESSAGE, service);
  const token = header(parts, 'x-amz-security-token');
  if ((secret.sessionToken ?? '') !== (token ?? '')) {
    return fail('UnrecognizedClient', UNRECOGNIZED_CLIENT_MESSAGE, service);
  }
  const now = options.now ?? Date.now();
  if (secret.expiresAt !== undefined && now >= secret.expiresAt) {
    return fail('ExpiredToken', 'The security token included in the request is expired', service);
  }

  if (auth.date !== stamp.slice(0, 8)) {
    return fail(
      'InvalidSignature',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${stamp.slice(0, 8)}', from '${stamp}'.`,
      service,
    );
  }
  const maxSkew = options.maxSkewMs ?? 15 * 60_000;
  if (Math.abs(now - requestTime) > maxSkew) {
    const minutes = Math.round(maxSkew / 60_000);
    const nowStamp = formatAmzDate(now);
    return fail(
      'SignatureExpired',
      requestTime < now
        ? `Signature expired: ${stamp} is now earlier than ${formatAmzDate(now - maxSkew)} (${nowStamp} - ${minutes} min.)`
        : `Signature not yet current: ${stamp} is still later than ${formatAmzDate(now + maxSkew)} (${nowStamp} + ${minutes} min.)`,
      service,
    );
  }

  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const canonical = canonicalRequest(parts, auth.signedHeaders);
  const key = deriveSigningKey(secret.secretAccessKey, auth.date, auth.region, auth.service);
  const expected = createHmac('sha256', key)
    .update(stringToSign(stamp, scope, canonical))
    .digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail('InvalidSignature', SIGNATURE_MISMATCH, service);
  }
  return { ok: true, accessKeyId: auth.accessKeyId, region: auth.region, service, amzDate: stamp };
}
