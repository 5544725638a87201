// The arguments of `airlock plugin`, read exactly as session-manager-plugin reads them
// (datachannel/README.md §8); no session code, so the dispatcher and `plugin --version` load only this.

import type { Launch } from './exit-status';

export const INSTALL_MESSAGE =
  '\nThe Session Manager plugin was installed successfully. Use the AWS CLI to start a session.\n\n';
export const ENV_RESPONSE_PREFIX = 'AWS_SSM_START_SESSION_RESPONSE';
const START_SESSION = 'StartSession';

export interface StartSessionResponse {
  sessionId: string;
  /** Secret: never printed or logged. */
  tokenValue: string;
  /** Secret: never printed or logged. */
  streamUrl: string;
}

export type PluginRequest =
  | { kind: 'install-message' }
  | { kind: 'version' }
  | { kind: 'unknown-operation'; argument: string }
  | { kind: 'invalid-operation' }
  | {
      kind: 'start';
      response: StartSessionResponse;
      region: string;
      profile: string;
      /** From the parameters JSON; '' when absent (then KMS sessions cannot work). */
      targetId: string;
      endpoint: string;
      /** Three arguments only (old AWS CLI): KMS is refused (datachannel/README.md §6.1, §8.2). */
      legacy: boolean;
      /** The environment variable argument 1 named; the caller unsets it. */
      consumedEnvVar?: string;
    };

export class PluginArgumentError extends Error {
  override readonly name = 'PluginArgumentError';

  constructor(
    readonly code: 'missing-response' | 'bad-response' | 'bad-parameters',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Interprets the plugin arguments (argv without the executable). Throws PluginArgumentError for
 * input the official plugin would crash on, so we can exit 1 with a clear message instead.
 */
export function parsePluginArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): PluginRequest {
  if (args.length === 0) return { kind: 'install-message' };
  if (args.length === 1 && args[0] === '--version') return { kind: 'version' };
  if (args.length < 3) return { kind: 'unknown-operation', argument: args[0] ?? '' };
  const [first = '', region = '', operation = '', profile = '', parameters = '', endpoint = ''] =
    args;
  if (operation !== START_SESSION) return { kind: 'invalid-operation' };

  let json = first;
  let consumedEnvVar: string | undefined;
  if (first.startsWith(ENV_RESPONSE_PREFIX)) {
    consumedEnvVar = first;
    json = env[first] ?? '';
    if (json === '') {
      throw new PluginArgumentError(
        'missing-response',
        `the environment variable ${first} is not set or empty`,
      );
    }
  }
  const request: PluginRequest = {
    kind: 'start',
    response: parseResponse(json),
    region,
    profile,
    targetId: parseTarget(parameters),
    endpoint,
    legacy: args.length === 3,
  };
  if (consumedEnvVar !== undefined) request.consumedEnvVar = consumedEnvVar;
  return request;
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Go's encoding/json matching: the exact key first, else the first case-insensitive match. */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function parseResponse(json: string): StartSessionResponse {
  const obj = parseObject(json);
  if (!obj) {
    throw new PluginArgumentError(
      'bad-response',
      'the StartSession response (argument 1) is not a JSON object',
    );
  }
  const get = (name: string): string => {
    const value = field(obj, name);
    if (typeof value !== 'string' || value === '') {
      throw new PluginArgumentError(
        'bad-response',
        `the StartSession response (argument 1) has no ${name}`,
      );
    }
    return value;
  };
  return {
    sessionId: get('SessionId'),
    tokenValue: get('TokenValue'),
    streamUrl: get('StreamUrl'),
  };
}

function parseTarget(parameters: string): string {
  if (parameters === '') return '';
  const obj = parseObject(parameters);
  if (!obj) {
    throw new PluginArgumentError(
      'bad-parameters',
      'the StartSession parameters (argument 5) are not a JSON object',
    );
  }
  const target = field(obj, 'Target');
  if (target === undefined || target === null) return '';
  if (typeof target !== 'string') {
    throw new PluginArgumentError(
      'bad-parameters',
      'the StartSession parameters (argument 5) have a Target that is not a string',
    );
  }
  return target;
}

/**
 * Who started this run, from how the response arrived: in argv only older AWS CLIs (and ECS exec)
 * pass it, and they print their whole command line, token included, on a non-zero status.
 */
export function launchOf(args: readonly string[]): Launch {
  return args.length >= 3 && !(args[0] ?? '').startsWith(ENV_RESPONSE_PREFIX)
    ? 'aws-cli-argv'
    : 'direct';
}
