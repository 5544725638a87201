// toErrorMessage: the one way core turns a caught value of unknown type into text for a log or a reply.

/**
 * The message of an Error, the text of a thrown string, or the `message` of an Error-like object
 * (as some SDKs and IPC layers throw); anything else is described without ever producing
 * "[object Object]".
 */
export function toErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error === null || error === undefined) return String(error);
  if (typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    return describeObject(error);
  }
  if (typeof error === 'function') return `thrown function ${error.name || '(anonymous)'}`;
  if (typeof error === 'symbol') return error.toString();
  if (typeof error === 'number' || typeof error === 'boolean' || typeof error === 'bigint') {
    return String(error);
  }
  return 'unknown error';
}

function describeObject(value: object): string {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined && json !== '{}') return json;
  } catch {
    // Circular or has a throwing toJSON; fall through to the constructor name.
  }
  const ownToString = (value as { toString?: unknown }).toString;
  if (typeof ownToString === 'function' && ownToString !== Object.prototype.toString) {
    const text: unknown = ownToString.call(value);
    if (typeof text === 'string' && text !== '[object Object]') return text;
  }
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return `unknown error (${typeof name === 'string' && name ? name : 'object'})`;
}
