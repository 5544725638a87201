// Splits terminal input into chunks for sessions:input without cutting a UTF-8 character in two,
// so a large paste travels as several bounded messages the remote side can keep up with.

/** Default input chunk: small enough that a paste never stalls keystrokes queued behind it. */
export const PASTE_CHUNK_BYTES = 4096;

function isContinuationByte(byte: number): boolean {
  return (byte & 0b1100_0000) === 0b1000_0000;
}

/**
 * Returns views into `bytes` of at most `maxBytes` each (at least one whole character each).
 * A chunk boundary never falls before a UTF-8 continuation byte unless a single character is
 * longer than `maxBytes`, which only happens for absurdly small limits.
 */
export function chunkUtf8<B extends ArrayBufferLike>(
  bytes: Uint8Array<B>,
  maxBytes: number = PASTE_CHUNK_BYTES,
): Uint8Array<B>[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${maxBytes}`);
  }
  const chunks: Uint8Array<B>[] = [];
  let start = 0;
  while (bytes.length - start > maxBytes) {
    let end = start + maxBytes;
    while (end > start + 1 && isContinuationByte(bytes[end] ?? 0)) end -= 1;
    if (end === start + 1 && isContinuationByte(bytes[end] ?? 0)) end = start + maxBytes;
    chunks.push(bytes.subarray(start, end));
    start = end;
  }
  if (start < bytes.length || chunks.length === 0) chunks.push(bytes.subarray(start));
  return chunks;
}
