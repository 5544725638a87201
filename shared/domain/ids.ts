// Branded identifiers shared by main and renderer, each with the zod schema that validates it at the IPC edge.
// The unbranded `…NameSchema` forms carry the same rule for core schemas that keep plain strings.
import { z } from 'zod';

/** EC2 instance (`i-…`) or hybrid managed instance (`mi-…`) id. */
export const INSTANCE_ID_PATTERN = /^m?i-[0-9a-f]{8,32}$/;

export function isInstanceId(value: string): boolean {
  return INSTANCE_ID_PATTERN.test(value);
}

export const InstanceIdSchema = z
  .string()
  .regex(INSTANCE_ID_PATTERN, 'expected an instance id like i-0123456789abcdef0 or mi-…')
  .brand<'InstanceId'>();
export type InstanceId = z.output<typeof InstanceIdSchema>;

/** AWS region name such as `eu-west-1` or `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(value: string): boolean {
  return REGION_PATTERN.test(value);
}

export const RegionNameSchema = z
  .string({ error: 'region is required' })
  .regex(REGION_PATTERN, { error: 'region must look like eu-west-1' });

export const RegionSchema = RegionNameSchema.brand<'Region'>();
export type Region = z.output<typeof RegionSchema>;

/** A named profile from the user's AWS config, or the Local sandbox's fixed name. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9_.@+=,:/-]{1,128}$/;

export const AwsProfileNameSchema = z
  .string({ error: 'the AWS profile name must be text' })
  .regex(PROFILE_NAME_PATTERN, { error: 'not a valid AWS profile name' });

export const ProfileNameSchema = AwsProfileNameSchema.brand<'ProfileName'>();
export type ProfileName = z.output<typeof ProfileNameSchema>;

/**
 * Identifies where an instance was listed from (the Local sandbox or one AWS profile), so a
 * session starts with the same credentials and endpoint that listed the instance.
 */
export const SourceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.@+=,:/-]{1,160}$/, 'expected a source id')
  .brand<'SourceId'>();
export type SourceId = z.output<typeof SourceIdSchema>;

/** Airlock's own id for one terminal session; minted by main, never an AWS credential. */
export const TabSessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'expected a tab session id')
  .brand<'TabSessionId'>();
export type TabSessionId = z.output<typeof TabSessionIdSchema>;

/** An SSM document name (`AWS-StartInteractiveCommand`, an account's own Session document, …). */
export const SsmDocumentNameSchema = z
  .string({ error: 'the document name must be text' })
  .regex(/^[A-Za-z0-9_.:/-]{3,128}$/, { error: 'not a valid SSM document name' });

export const DocumentNameSchema = SsmDocumentNameSchema.brand<'DocumentName'>();
export type DocumentName = z.output<typeof DocumentNameSchema>;
