// Finds the one running EC2 instance a Name tag stands for, as the CLI commands accept names
// where StartSession needs an id.
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { toAwsApiError } from './api-error';

/** The id of the single running instance named `name`; a clear error for none, several or a failed call. */
export async function runningInstanceNamed(
  ec2: Pick<EC2Client, 'send'>,
  name: string,
  where?: string,
): Promise<string> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:Name', Values: [name] },
            { Name: 'instance-state-name', Values: ['running'] },
          ],
          ...(nextToken !== undefined && { NextToken: nextToken }),
        }),
      );
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          if (instance.InstanceId) ids.push(instance.InstanceId);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    throw new Error(`cannot look up ${name}: ${toAwsApiError(error).message}`, { cause: error });
  }
  const [only] = ids;
  if (only === undefined) {
    throw new Error(`no running instance${where ? ` in ${where}` : ''} is named ${name}`);
  }
  if (ids.length > 1) {
    throw new Error(`${ids.length} running instances are named ${name}: ${ids.join(', ')}`);
  }
  return only;
}
