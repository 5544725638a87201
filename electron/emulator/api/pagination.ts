// Opaque NextToken values bound to the query that produced them, so a token reused with other filters is refused.

import { createHash } from 'node:crypto';

/** A short digest of everything that shapes a listing (filters, ids, caller, region). */
export function queryFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export function encodeNextToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint }), 'utf8').toString('base64');
}

/** The offset a token stands for, or undefined when it is malformed or from another query. */
export function decodeNextToken(token: string, fingerprint: string): number | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { o, f } = value as { o?: unknown; f?: unknown };
    if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || f !== fingerprint)
      return undefined;
    return o;
  } catch {
    return undefined;
  }
}

export interface Page<T> {
  items: T[];
  /** Present when more items follow. */
  nextToken?: string;
}

export function paginate<T>(
  items: readonly T[],
  offset: number,
  pageSize: number,
  fingerprint: string,
): Page<T> {
  const end = offset + pageSize;
  const page: Page<T> = { items: items.slice(offset, end) };
  if (end < items.length) page.nextToken = encodeNextToken(end, fingerprint);
  return page;
}
