// SSM DescribeInstanceInformation through the SDK client, its successful answer read with
// JSON.parse and only the members the inventory shows kept (see lean-answer.ts): the SDK's
// schema-driven deserializer visited every member of every item, a large part of the CPU of
// listing 100,000 instances.

import {
  DescribeInstanceInformationCommand,
  type DescribeInstanceInformationCommandInput,
  type DescribeInstanceInformationCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { readAnswerWith } from './lean-answer';

/**
 * The members of an SSM InstanceInformation the inventory reads, named and typed as the SDK's, so
 * an SDK InstanceInformation is one too.
 */
export interface LeanInstanceInformation {
  InstanceId?: string | undefined;
  Name?: string | undefined;
  PingStatus?: string | undefined;
  LastPingDateTime?: Date | undefined;
  AgentVersion?: string | undefined;
  PlatformType?: string | undefined;
  PlatformName?: string | undefined;
  PlatformVersion?: string | undefined;
  ResourceType?: string | undefined;
  IPAddress?: string | undefined;
  ComputerName?: string | undefined;
}

export interface LeanInstanceInformationPage {
  instances: LeanInstanceInformation[];
  nextToken?: string;
}

const EMPTY_ANSWER = new TextEncoder().encode('{}');

const TEXT_MEMBERS = [
  'InstanceId',
  'Name',
  'PingStatus',
  'AgentVersion',
  'PlatformType',
  'PlatformName',
  'PlatformVersion',
  'ResourceType',
  'IPAddress',
  'ComputerName',
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON 1.1 timestamps are epoch seconds (fractions allowed). */
function epochSecondsDate(value: unknown): Date | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return new Date(Math.round(value * 1000));
}

function leanInformation(item: Record<string, unknown>): LeanInstanceInformation {
  const info: LeanInstanceInformation = {};
  for (const member of TEXT_MEMBERS) {
    const value = item[member];
    if (typeof value === 'string') info[member] = value;
  }
  const lastPing = epochSecondsDate(item.LastPingDateTime);
  if (lastPing) info.LastPingDateTime = lastPing;
  return info;
}

/**
 * Reads a DescribeInstanceInformation answer. Throws on one that is not (not JSON, no list), so a
 * changed or truncated answer is an error, not an empty listing.
 */
export function parseInstanceInformationJson(text: string): LeanInstanceInformationPage {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new Error('SSM DescribeInstanceInformation answered with malformed JSON.');
  }
  const list = isObject(answer) ? answer.InstanceInformationList : undefined;
  if (!isObject(answer) || (list !== undefined && !Array.isArray(list))) {
    throw new Error('SSM DescribeInstanceInformation answered without an InstanceInformationList.');
  }
  const instances: LeanInstanceInformation[] = [];
  for (const item of (list as unknown[] | undefined) ?? []) {
    if (isObject(item)) instances.push(leanInformation(item));
  }
  const token = answer.NextToken;
  return typeof token === 'string' && token !== ''
    ? { instances, nextToken: token }
    : { instances };
}

/** One page of DescribeInstanceInformation. */
export async function describeInstanceInformationLean(
  client: SSMClient,
  input: { maxResults: number; nextToken?: string },
): Promise<LeanInstanceInformationPage> {
  const command = new DescribeInstanceInformationCommand({
    MaxResults: input.maxResults,
    ...(input.nextToken !== undefined && { NextToken: input.nextToken }),
  });
  const lean = readAnswerWith<
    DescribeInstanceInformationCommandInput,
    DescribeInstanceInformationCommandOutput,
    LeanInstanceInformationPage
  >(command, {
    name: 'airlockLeanInstanceInformation',
    service: 'SSM DescribeInstanceInformation',
    emptyAnswer: EMPTY_ANSWER,
    read: parseInstanceInformationJson,
  });
  const out = await client.send(command);
  const read = lean();
  if (read) return read;
  // Only when another handler answered without an HTTP response (a test's mock): the SDK's output.
  return {
    instances: out.InstanceInformationList ?? [],
    ...(out.NextToken ? { nextToken: out.NextToken } : {}),
  };
}
