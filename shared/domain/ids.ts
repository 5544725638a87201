// Branded identifiers shared by main and renderer, each with the zod schema that validates it at the IPC edge.
import { z } from 'zod';

/** EC2 instance (`i-…`) or hybrid managed instance (`mi-…`) id. */
export const InstanceIdSchema = z
  .string()
  .regex(/^m?i-[0-9a-f]{8,32}$/, 'expected an instance id like i-0123456789abcdef0 or mi-…')
  .brand<'InstanceId'>();
export type InstanceId = z.output<typeof InstanceIdSchema>;

/** AWS region name such as `eu-west-1` or `us-gov-west-1`. */
export const RegionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'expected a region like eu-west-1')
  .brand<'Region'>();
export type Region = z.output<typeof RegionSchema>;

/** A named profile from the user's AWS config, or the Local sandbox's fixed name. */
export const ProfileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.@+=,:/-]{1,128}$/, 'expected an AWS profile name')
  .brand<'ProfileName'>();
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
export const DocumentNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:/-]{3,128}$/, 'expected an SSM document name')
  .brand<'DocumentName'>();
export type DocumentName = z.output<typeof DocumentNameSchema>;
