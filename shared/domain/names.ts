// The plain rules for AWS names (instance ids, regions, profile names), without zod: the CLI's
// session path checks names with them and must not load a schema library to do it. ids.ts builds
// the IPC schemas on the same patterns.

/** EC2 instance (`i-…`) or hybrid managed instance (`mi-…`) id. */
export const INSTANCE_ID_PATTERN = /^m?i-[0-9a-f]{8,32}$/;

export function isInstanceId(value: string): boolean {
  return INSTANCE_ID_PATTERN.test(value);
}

/** AWS region name such as `eu-west-1` or `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(value: string): boolean {
  return REGION_PATTERN.test(value);
}

/** A named profile from the user's AWS config, or the Local sandbox's fixed name. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9_.@+=,:/-]{1,128}$/;
