// `airlock ssh-proxy TARGET [PORT]`: an ssh ProxyCommand that bridges stdin and stdout to the
// instance's SSH port over an AWS-StartSSHSession session, optionally pushing a key first.

import { isTargetId, resolveTargetByName, runShellCommand, type ShellDeps } from './shell';
import { credentialsFor, isEc2InstanceId, pushPublicKey, readPublicKey } from './ssh-common';
import { awsOptionArgs, readAwsOption, SshUsageError, type AwsOptions } from './ssh-args';
import { toErrorMessage } from '../core/base/errors';
import { decideExit } from './exit-status';
import { profileCaBundle } from '../core/aws/profile-ca-bundle';

export const SSH_PROXY_USAGE = `Usage: airlock ssh-proxy [options] TARGET [PORT]

An ssh ProxyCommand: carries the SSH connection over Session Manager (AWS-StartSSHSession),
so the instance needs no inbound port. For example in ~/.ssh/config:

  Host i-* mi-*
    ProxyCommand airlock ssh-proxy %h %p

  TARGET                 an instance or managed node id, or the Name tag of one running instance
  PORT                   the SSH port on the instance (default 22)

Options:
  --region REGION        AWS region (default: AWS_REGION or the profile's)
  --profile NAME         AWS profile (default: AWS_PROFILE or the default chain)
  --endpoint-url URL     SSM endpoint (default: AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL, profile)
  --push-key FILE        first push this public key with EC2 Instance Connect (EC2 instances
                         only; it lets a login in for 60 seconds)
  --user USER            the OS user the key is pushed for (with --push-key; ssh's %r)
  --help                 show this help
`;

export interface SshProxyArgs extends AwsOptions {
  target: string;
  port: number;
  pushKey?: string;
  user?: string;
}

export function parseSshProxyArgs(args: readonly string[]): SshProxyArgs | 'help' {
  const aws: AwsOptions = { region: '', profile: '', endpoint: '' };
  const positional: string[] = [];
  let pushKey: string | undefined;
  let user: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    const taken = readAwsOption(args, i, aws);
    if (taken > 0) {
      i += taken - 1;
    } else if (arg === '--push-key' || arg === '--user') {
      const value = args[++i];
      if (value === undefined || value === '') throw new SshUsageError(`${arg} needs a value`);
      if (arg === '--push-key') pushKey = value;
      else user = value;
    } else if (arg.startsWith('-')) {
      throw new SshUsageError(`unknown option ${arg}`);
    } else positional.push(arg);
  }
  const [target, portText, extra] = positional;
  if (target === undefined) throw new SshUsageError('a TARGET is required');
  if (extra !== undefined) throw new SshUsageError(`unexpected argument ${extra}`);
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new SshUsageError(`PORT must be a number from 1 to 65535, got ${portText}`);
  }
  if (pushKey !== undefined && user === undefined) {
    throw new SshUsageError('--push-key needs --user (the OS user the key is for)');
  }
  return {
    ...aws,
    target,
    port,
    ...(pushKey !== undefined && { pushKey }),
    ...(user !== undefined && { user }),
  };
}

export async function runSshProxy(args: readonly string[], deps: ShellDeps): Promise<number> {
  let parsed: SshProxyArgs | 'help';
  try {
    parsed = parseSshProxyArgs(args);
  } catch (error) {
    if (!(error instanceof SshUsageError)) throw error;
    deps.stderr.write(`airlock ssh-proxy: ${error.message}\n\n${SSH_PROXY_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    deps.stdout.write(SSH_PROXY_USAGE);
    return 0;
  }
  let target = parsed.target;
  if (parsed.pushKey !== undefined) {
    try {
      const credentials = credentialsFor(parsed.profile);
      const caBundle = await profileCaBundle(parsed.profile, deps.env);
      const aws = { ...parsed, ...(caBundle !== undefined && { caBundle }) };
      if (!isTargetId(target))
        target = await (deps.resolveTarget ?? resolveTargetByName)(target, aws, credentials);
      if (isEc2InstanceId(target)) {
        const publicKey = await readPublicKey(parsed.pushKey);
        await pushPublicKey(
          { instanceId: target, osUser: parsed.user ?? '', publicKey },
          aws,
          credentials,
        );
      }
    } catch (error) {
      const decision = decideExit('airlock-command', {
        kind: 'failed',
        message: `airlock ssh-proxy: ${toErrorMessage(error)}`,
      });
      deps.stderr.write(`${decision.stderrLine ?? ''}\n`);
      return decision.status;
    }
  }
  return runShellCommand(
    [
      ...awsOptionArgs(parsed),
      '--document',
      'AWS-StartSSHSession',
      '--parameters',
      JSON.stringify({ portNumber: [String(parsed.port)] }),
      target,
    ],
    deps,
  );
}
