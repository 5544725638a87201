// Reading an SDK call's successful answer with our own targeted reader: a middleware just inside
// the SDK's deserializer takes the raw body, and the SDK is handed an empty answer to parse instead
// (signing, endpoints, retries and errors all stay the SDK's). Used where the SDK's general
// deserializer, which builds every member of every item, is the slow part of a large listing.

// Types only (erased): the SDK's own middleware signature, from the package the SDK is built on.
import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';

interface RawResponse {
  statusCode: number;
  body: unknown;
}

function isRawResponse(value: unknown): value is RawResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number' &&
    'body' in value
  );
}

/** The whole body as text: the Node stream the SDK's HTTP handler gives, or bytes already read. */
async function bodyText(body: unknown, service: string): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  throw new Error(`${service} answered with a body that cannot be read.`);
}

/**
 * Makes `command` read its successful answer with `read`; the returned function gives what the
 * last successful attempt read (undefined when no HTTP answer was seen, e.g. under a test's mock).
 */
export function readAnswerWith<Input extends object, Output extends object, Lean>(
  command: { middlewareStack: MiddlewareStack<Input, Output> },
  options: { name: string; service: string; emptyAnswer: Uint8Array; read: (text: string) => Lean },
): () => Lean | undefined {
  let lean: Lean | undefined;
  const readLean: DeserializeMiddleware<Input, Output> = (next) => async (args) => {
    const result = await next(args);
    const response = result.response;
    if (isRawResponse(response) && response.statusCode >= 200 && response.statusCode < 300) {
      lean = options.read(await bodyText(response.body, options.service));
      response.body = options.emptyAnswer;
    }
    return result;
  };
  command.middlewareStack.addRelativeTo(readLean, {
    name: options.name,
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
  });
  return () => lean;
}
