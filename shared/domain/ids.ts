// Branded identifiers shared by main and renderer, each with the zod schema that validates it at the IPC edge.
// The unbranded `…NameSchema` forms carry the same rule for core schemas that keep plain strings.
import { z } from 'zod';
import { INSTANCE_ID_PATTERN, PROFILE_NAME_PATTERN, REGION_PATTERN } from './names';

export * from './names';

export const InstanceIdSchema = z
  .string()
  .regex(INSTANCE_ID_PATTERN, 'expected an instance id like i-0123456789abcdef0 or mi-…')
  .brand<'InstanceId'>();
export type InstanceId = z.output<typeof InstanceIdSchema>;

export const RegionNameSchema = z
  .string({ error: 'region is required' })
  .regex(REGION_PATTERN, { error: 'region must look like eu-west-1' });

export const RegionSchema = RegionNameSchema.brand<'Region'>();
export type Region = z.output<typeof RegionSchema>;

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
