// `airlock shell TARGET`: start a session on an instance (by id or Name tag) and run it in this terminal.

import { EC2Client } from '@aws-sdk/client-ec2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { sdkClientConfig, type AwsCredentialsInput } from '../core/aws/client-config';
import { runStartedSession, type PluginApis, type PluginDeps } from './plugin';
import { createDefaultApis } from './plugin-session';
import { terminalMfaPrompt } from './prompt';
import { runningInstanceNamed } from '../core/aws/instance-by-name';
import { isInstanceId } from '../../shared/domain/names';
import { requestSession } from '../core/sessions/launcher';
import { toErrorMessage } from '../core/base/errors';
import { decideExit } from './exit-status';
import { profileCaBundle } from '../core/aws/profile-ca-bundle';

export const SHELL_USAGE = `Usage: airlock shell [options] TARGET

Starts a Session Manager session and runs it in this terminal, like
\`aws ssm start-session\` with the plugin, without needing either.

  TARGET                 an instance or managed node id (i-..., mi-...), or the Name tag
                         of exactly one running EC2 instance

Options:
  --region REGION        AWS region (default: AWS_REGION or the profile's)
  --profile NAME         AWS profile (default: AWS_PROFILE or the default chain)
  --endpoint-url URL     SSM endpoint (default: AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL, profile)
  --document NAME        session document, e.g. AWS-StartInteractiveCommand
  --parameters JSON      document parameters, e.g. '{"command":["uptime"]}'
  --reason TEXT          reason recorded with the session
  --help                 show this help

The exit status is the remote command's for AWS-StartNonInteractiveCommand style documents,
non-zero when the session cannot start or fails, and 0 otherwise.
`;

export interface ShellArgs {
  target: string;
  region: string;
  profile: string;
  endpoint: string;
  documentName?: string;
  parameters?: Record<string, string[]>;
  reason?: string;
}

export class ShellUsageError extends Error {
  override readonly name = 'ShellUsageError';
  readonly code = 'SHELL_USAGE';
}

/** Parses `airlock shell` arguments; returns 'help' for --help. Throws ShellUsageError. */
export function parseShellArgs(args: readonly string[]): ShellArgs | 'help' {
  const out: Partial<ShellArgs> = { region: '', profile: '', endpoint: '' };
  const value = (flag: string, index: number): string => {
    const next = args[index + 1];
    if (next === undefined || next === '') throw new ShellUsageError(`${flag} needs a value`);
    return next;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    switch (arg) {
      case '--help':
      case '-h':
        return 'help';
      case '--region':
        out.region = value(arg, i++);
        break;
      case '--profile':
        out.profile = value(arg, i++);
        break;
      case '--endpoint-url':
        out.endpoint = value(arg, i++);
        break;
      case '--document':
        out.documentName = value(arg, i++);
        break;
      case '--reason':
        out.reason = value(arg, i++);
        break;
      case '--parameters':
        out.parameters = parseParameters(value(arg, i++));
        break;
      default:
        if (arg.startsWith('-')) throw new ShellUsageError(`unknown option ${arg}`);
        if (out.target !== undefined) throw new ShellUsageError(`unexpected argument ${arg}`);
        out.target = arg;
    }
  }
  if (out.target === undefined) throw new ShellUsageError('a TARGET is required');
  return out as ShellArgs;
}

/** Document parameters as StartSession takes them: names to lists of strings (bare strings too). */
function parseParameters(json: string): Record<string, string[]> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ShellUsageError('--parameters must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShellUsageError('--parameters must be a JSON object');
  }
  const out: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(value)) {
    if (typeof raw === 'string') out[name] = [raw];
    else if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) out[name] = raw;
    else throw new ShellUsageError(`--parameters ${name} must be a string or a list of strings`);
  }
  return out;
}

/** Ids StartSession takes as they are; anything else is looked up as an EC2 Name tag. */
export function isTargetId(target: string): boolean {
  return isInstanceId(target) || target.startsWith('ecs:');
}

/** The one running EC2 instance whose Name tag is `name`. */
export async function resolveTargetByName(
  name: string,
  config: { region: string; profile: string; caBundle?: string },
  credentials?: AwsCredentialsInput,
): Promise<string> {
  const ec2 = new EC2Client(
    sdkClientConfig({
      region: config.region,
      profile: config.profile,
      ...(config.caBundle !== undefined && { caBundle: config.caBundle }),
      credentials:
        credentials ??
        (config.profile !== '' ? fromNodeProviderChain({ profile: config.profile }) : undefined),
    }),
  );
  try {
    return await runningInstanceNamed(ec2, name);
  } finally {
    ec2.destroy();
  }
}

export interface ShellDeps extends PluginDeps {
  resolveTarget?: (
    name: string,
    config: { region: string; profile: string },
    credentials?: AwsCredentialsInput,
  ) => Promise<string>;
}

/** Runs `airlock shell ARGS` and resolves with the exit status. */
export async function runShellCommand(args: readonly string[], deps: ShellDeps): Promise<number> {
  let parsed: ShellArgs | 'help';
  try {
    parsed = parseShellArgs(args);
  } catch (error) {
    if (!(error instanceof ShellUsageError)) throw error;
    deps.stderr.write(`airlock shell: ${error.message}\n\n${SHELL_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    deps.stdout.write(SHELL_USAGE);
    return 0;
  }
  const fail = (message: string): number => {
    const decision = decideExit('airlock-command', {
      kind: 'failed',
      message: `airlock shell: ${message}`,
    });
    deps.stderr.write(`${decision.stderrLine ?? ''}\n`);
    return decision.status;
  };
  const config = { region: parsed.region, profile: parsed.profile, endpoint: parsed.endpoint };
  // One memoized chain for SSM, KMS and the name lookup, so a role with mfa_serial asks once,
  // on this terminal, before the session takes it over; never once the local side is gone.
  const askForMfa = terminalMfaPrompt(deps);
  let promptsAllowed = true;
  const credentials = fromNodeProviderChain({
    ...(parsed.profile !== '' && { profile: parsed.profile }),
    mfaCodeProvider: (serial) =>
      promptsAllowed
        ? askForMfa(serial)
        : Promise.reject(new Error('no MFA prompt once the terminal is gone')),
  });
  let apis: PluginApis;
  let caBundle: string | undefined;
  try {
    if (deps.createApis) apis = deps.createApis(config);
    else {
      // The SDK's chain does not read the profile's ca_bundle; the AWS CLI does, and so do we.
      caBundle = await profileCaBundle(parsed.profile, process.env);
      apis = createDefaultApis(
        { ...config, ...(caBundle !== undefined && { caBundle }) },
        credentials,
      );
    }
  } catch (error) {
    return fail(toErrorMessage(error));
  }
  let target = parsed.target;
  let started;
  try {
    if (!isTargetId(target))
      target = await (deps.resolveTarget ?? resolveTargetByName)(
        target,
        { ...config, ...(caBundle !== undefined && { caBundle }) },
        credentials,
      );
    started = await requestSession(apis.ssm, {
      target,
      ...(parsed.documentName !== undefined && { documentName: parsed.documentName }),
      ...(parsed.parameters !== undefined && { parameters: parsed.parameters }),
      ...(parsed.reason !== undefined && { reason: parsed.reason }),
    });
  } catch (error) {
    apis.destroy();
    return fail(`cannot start a session on ${target}: ${toErrorMessage(error)}`);
  }
  return runStartedSession(
    {
      kind: 'start',
      response: started,
      region: parsed.region,
      profile: parsed.profile,
      targetId: target,
      endpoint: parsed.endpoint,
      legacy: false,
    },
    {
      ...deps,
      createApis: () => apis,
      forbidPrompts: () => {
        promptsAllowed = false;
      },
    },
  );
}
