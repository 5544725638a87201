// Decides whether the user has AWS configured (env or ~/.aws files), and which profile and region to use.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export type Environment = Readonly<Record<string, string | undefined>>;

export type AwsEnvironment =
  | {
      readonly kind: 'aws';
      readonly profile: string;
      readonly region: string;
      readonly why: string;
    }
  | { readonly kind: 'none'; readonly why: string };

export const FALLBACK_REGION = 'us-east-1';

/**
 * AIRLOCK_SANDBOX=1 forces the Local sandbox (tests and demos must never reach real AWS);
 * AIRLOCK_SANDBOX=0 forces AWS. Otherwise AWS is used when env keys, AWS_PROFILE, or any
 * profile in the config or credentials file exist.
 */
export async function detectAwsEnvironment(env: Environment): Promise<AwsEnvironment> {
  if (env.AIRLOCK_SANDBOX === '1') return { kind: 'none', why: 'AIRLOCK_SANDBOX=1' };
  const home = env.HOME ?? env.USERPROFILE ?? '';
  const configFile = env.AWS_CONFIG_FILE || (home ? path.join(home, '.aws', 'config') : '');
  const credentialsFile =
    env.AWS_SHARED_CREDENTIALS_FILE || (home ? path.join(home, '.aws', 'credentials') : '');
  const config = parseIni(await readOptional(configFile));
  const credentials = parseIni(await readOptional(credentialsFile));

  const configProfiles = new Map<string, Record<string, string>>();
  for (const [section, values] of config) {
    if (section === 'default') configProfiles.set('default', values);
    else if (section.startsWith('profile ')) configProfiles.set(section.slice(8).trim(), values);
  }
  const profileNames = new Set([...configProfiles.keys(), ...credentials.keys()]);
  const profile =
    env.AWS_PROFILE || (profileNames.has('default') ? 'default' : [...profileNames][0]);
  const region =
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    (profile ? configProfiles.get(profile)?.region : undefined) ||
    FALLBACK_REGION;

  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { kind: 'aws', profile: profile ?? 'default', region, why: 'AWS_ACCESS_KEY_ID is set' };
  }
  if (env.AWS_PROFILE)
    return { kind: 'aws', profile: env.AWS_PROFILE, region, why: 'AWS_PROFILE is set' };
  if (profile) return { kind: 'aws', profile, region, why: `profile ${profile} in the AWS config` };
  if (env.AIRLOCK_SANDBOX === '0') {
    return { kind: 'aws', profile: 'default', region, why: 'AIRLOCK_SANDBOX=0' };
  }
  return { kind: 'none', why: 'no AWS credentials or profiles found' };
}

async function readOptional(file: string): Promise<string> {
  if (!file) return '';
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

/** A minimal INI reader: [section] headers and key = value lines; comments start with # or ;. */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0 && !/^\s/.test(rawLine))
      current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}
