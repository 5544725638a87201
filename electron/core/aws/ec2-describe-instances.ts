// EC2 DescribeInstances through the SDK client (signing, endpoints, retries, errors all stay the
// SDK's) but with a successful answer read by the targeted reader in ec2-instances-xml.ts: a
// middleware just inside the SDK's deserializer takes the body, and the SDK is handed an empty
// answer to parse instead of one with ~80 elements per instance nobody reads.

import {
  DescribeInstancesCommand,
  type EC2Client,
  type DescribeInstancesCommandInput,
  type DescribeInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
// Types only (erased): the SDK's own middleware signature, from the package the SDK is built on.
import type { DeserializeMiddleware } from '@smithy/types';
import { parseDescribeInstancesXml, type LeanDescribeInstances } from './ec2-instances-xml';

const EMPTY_ANSWER = new TextEncoder().encode(
  '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"></DescribeInstancesResponse>',
);

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
async function bodyText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  throw new Error('EC2 DescribeInstances answered with a body that cannot be read.');
}

/** One DescribeInstances call for these ids (one page of its answer). */
export async function describeInstancesLean(
  client: EC2Client,
  input: { instanceIds: readonly string[]; nextToken?: string },
): Promise<LeanDescribeInstances> {
  const command = new DescribeInstancesCommand({
    InstanceIds: [...input.instanceIds],
    ...(input.nextToken !== undefined && { NextToken: input.nextToken }),
  });
  // Set by the last attempt that succeeded (the SDK retries inside this middleware's callers).
  let lean: LeanDescribeInstances | undefined;
  const readLean: DeserializeMiddleware<
    DescribeInstancesCommandInput,
    DescribeInstancesCommandOutput
  > = (next) => async (args) => {
    const result = await next(args);
    const response = result.response;
    if (isRawResponse(response) && response.statusCode >= 200 && response.statusCode < 300) {
      lean = parseDescribeInstancesXml(await bodyText(response.body));
      response.body = EMPTY_ANSWER;
    }
    return result;
  };
  command.middlewareStack.addRelativeTo(readLean, {
    name: 'airlockLeanDescribeInstances',
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
  });
  const out = await client.send(command);
  if (lean) return lean;
  // Only when another handler answered without an HTTP response (a test's mock): the SDK's output.
  return {
    reservations: (out.Reservations ?? []).map((r) => ({
      ...(r.OwnerId !== undefined && { OwnerId: r.OwnerId }),
      Instances: r.Instances ?? [],
    })),
    ...(out.NextToken ? { nextToken: out.NextToken } : {}),
  };
}
