// Test support for electron/core/aws: a loopback HTTP server that answers AWS SDK requests in the
// services' real wire formats (JSON, REST-JSON, query/XML), and a clock that runs timers at once.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, TimerHandle } from '../base/clock';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** X-Amz-Target of JSON-protocol calls, e.g. `AmazonSSM.DescribeInstanceInformation`. */
  readonly target?: string;
  /** Form fields of query-protocol calls (STS, EC2), including `Action`. */
  readonly form: URLSearchParams;
  /** Parsed JSON body, when there is one. */
  readonly json: Record<string, unknown>;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface FakeAwsServer {
  readonly url: string;
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

export function jsonReply(
  status: number,
  body: unknown,
  contentType = 'application/json',
): FakeReply {
  return { status, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

/** A REST-JSON or JSON 1.1 error the SDK maps to an exception class named `type`. */
export function jsonError(status: number, type: string, message: string): FakeReply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: type, message, error: type, error_description: message }),
  };
}

export function xmlReply(status: number, body: string): FakeReply {
  return { status, headers: { 'content-type': 'text/xml' }, body };
}

/** An STS (query protocol) error. */
export function stsError(status: number, code: string, message: string): FakeReply {
  return xmlReply(
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
  );
}

/** An EC2 (query protocol) error. */
export function ec2Error(status: number, code: string, message: string): FakeReply {
  return xmlReply(
    status,
    `<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>req-1</RequestID></Response>`,
  );
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export async function startFakeAws(
  handler: (request: FakeRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeAwsServer> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const contentType = String(req.headers['content-type'] ?? '');
      let json: Record<string, unknown> = {};
      if (body !== '' && contentType.includes('json')) {
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          json = {};
        }
      }
      const target = req.headers['x-amz-target'];
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        ...(typeof target === 'string' && { target }),
        form: contentType.includes('x-www-form-urlencoded')
          ? new URLSearchParams(body)
          : new URLSearchParams(),
        json,
      };
      requests.push(request);
      Promise.resolve()
        .then(() => handler(request))
        .then(
          (reply) => {
            res.writeHead(reply.status, reply.headers ?? {});
            res.end(reply.body);
          },
          (error: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(String(error));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A clock whose timers fire on the next turn of the event loop while virtual time jumps ahead by
 * their delay: polling loops run at full speed and tests can still read the delays they asked for.
 */
export class InstantClock implements Clock {
  readonly delays: number[] = [];
  private current: number;

  constructor(startMs = Date.UTC(2025, 0, 2, 10, 0, 0)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    this.delays.push(delayMs);
    let cancelled = false;
    setImmediate(() => {
      if (cancelled) return;
      this.current += delayMs;
      callback();
    });
    return {
      cancel: () => {
        cancelled = true;
      },
    };
  }
}
