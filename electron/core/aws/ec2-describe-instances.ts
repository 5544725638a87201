// EC2 DescribeInstances through the SDK client, its successful answer read by the targeted reader
// in ec2-instances-xml.ts (see lean-answer.ts): the SDK's own parser would first build ~80
// elements per instance nobody reads.

import {
  DescribeInstancesCommand,
  type EC2Client,
  type DescribeInstancesCommandInput,
  type DescribeInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import { parseDescribeInstancesXml, type LeanDescribeInstances } from './ec2-instances-xml';
import { readAnswerWith } from './lean-answer';

const EMPTY_ANSWER = new TextEncoder().encode(
  '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"></DescribeInstancesResponse>',
);

/** One DescribeInstances call for these ids (one page of its answer). */
export async function describeInstancesLean(
  client: EC2Client,
  input: { instanceIds: readonly string[]; nextToken?: string },
): Promise<LeanDescribeInstances> {
  const command = new DescribeInstancesCommand({
    InstanceIds: [...input.instanceIds],
    ...(input.nextToken !== undefined && { NextToken: input.nextToken }),
  });
  const lean = readAnswerWith<
    DescribeInstancesCommandInput,
    DescribeInstancesCommandOutput,
    LeanDescribeInstances
  >(command, {
    name: 'airlockLeanDescribeInstances',
    service: 'EC2 DescribeInstances',
    emptyAnswer: EMPTY_ANSWER,
    read: parseDescribeInstancesXml,
  });
  const out = await client.send(command);
  const read = lean();
  if (read) return read;
  // Only when another handler answered without an HTTP response (a test's mock): the SDK's output.
  return {
    reservations: (out.Reservations ?? []).map((r) => ({
      ...(r.OwnerId !== undefined && { OwnerId: r.OwnerId }),
      Instances: r.Instances ?? [],
    })),
    ...(out.NextToken ? { nextToken: out.NextToken } : {}),
  };
}
