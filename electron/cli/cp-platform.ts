// Which programs `airlock cp` runs on an instance: PowerShell when SSM lists it with PlatformType
// Windows (DescribeInstanceInformation), POSIX sh otherwise.

import { DescribeInstanceInformationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { platformOfType, type RemotePlatform } from '../core/files';

/**
 * The instance's platform. When SSM cannot say (no such managed node, or no permission for
 * ssm:DescribeInstanceInformation), the instance is taken for Linux, as most are.
 */
export async function instancePlatform(ssm: SSMClient, target: string): Promise<RemotePlatform> {
  try {
    const out = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: [target] }],
      }),
    );
    return platformOfType(out.InstanceInformationList?.[0]?.PlatformType);
  } catch {
    return 'posix';
  }
}
