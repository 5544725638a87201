// The AWS shared config and credentials files: where they are (AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws) and reading them into INI documents, with a
// diagnostic instead of an exception when one cannot be read.
import { isAbsolute, join } from 'node:path';
import { toErrorMessage } from '../base/errors';
import { nodeFileSystem } from '../base/fs';
import { parseIni, type IniDiagnostic, type IniDocument } from './ini';
import { nonEmpty, type AwsEnv } from './profile-types';

export function homeDirFrom(env: AwsEnv): string | undefined {
  return (
    nonEmpty(env.HOME) ??
    nonEmpty(env.USERPROFILE) ??
    (env.HOMEDRIVE && env.HOMEPATH ? `${env.HOMEDRIVE}${env.HOMEPATH}` : undefined)
  );
}

function expandHome(path: string, home: string | undefined): string {
  if (home && (path === '~' || path.startsWith('~/') || path.startsWith('~\\'))) {
    return join(home, path.slice(1));
  }
  return path;
}

/** Paths of the config and credentials files as the AWS CLI finds them. */
export function sharedFilePaths(
  env: AwsEnv,
  homeDir?: string,
): { configFile: string; credentialsFile: string; homeDir: string } {
  const home = homeDir ?? homeDirFrom(env) ?? '.';
  const resolve = (value: string | undefined, fallback: string) => {
    const raw = nonEmpty(value);
    if (!raw) return join(home, '.aws', fallback);
    const expanded = expandHome(raw, home);
    return isAbsolute(expanded) ? expanded : join(home, expanded);
  };
  return {
    configFile: resolve(env.AWS_CONFIG_FILE, 'config'),
    credentialsFile: resolve(env.AWS_SHARED_CREDENTIALS_FILE, 'credentials'),
    homeDir: home,
  };
}

/** Reads a file as UTF-8; resolves `undefined` when it does not exist. */
export type SharedFileReader = (path: string) => Promise<string | undefined>;

export const readSharedFileText: SharedFileReader = async (path) => {
  try {
    return await nodeFileSystem.readText(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
};

/**
 * One shared file parsed, or undefined when it is missing or unreadable; problems go to
 * `diagnostics` (a missing file only matters when `explicitVar` pointed at it).
 */
export async function readSharedFile(
  path: string,
  explicitVar: 'AWS_CONFIG_FILE' | 'AWS_SHARED_CREDENTIALS_FILE',
  io: { env: AwsEnv; readFile: SharedFileReader; diagnostics: IniDiagnostic[] },
): Promise<IniDocument | undefined> {
  let text: string | undefined;
  try {
    text = await io.readFile(path);
  } catch (error) {
    const reason = toErrorMessage(error);
    io.diagnostics.push({
      file: path,
      severity: 'error',
      message: `${path}: could not be read (${reason}); its profiles are missing.`,
    });
    return undefined;
  }
  if (text === undefined && nonEmpty(io.env[explicitVar])) {
    io.diagnostics.push({
      file: path,
      severity: 'warning',
      message: `${path}: ${explicitVar} points to this file but it does not exist.`,
    });
  }
  return text === undefined ? undefined : parseIni(text, path);
}
