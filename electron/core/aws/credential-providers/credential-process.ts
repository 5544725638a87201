// credential_process: runs the profile's command through the system shell, as the AWS SDK for
// JavaScript does, and reads the keys from the JSON it prints (never logging that output).
import { spawn } from 'node:child_process';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { z } from 'zod';
import type { Clock } from '../../base/clock';
import { CredentialsError } from '../credentials-error';
import type { AwsEnv, ProfileCatalog } from '../profiles';
import { nonEmpty, type CredentialProvider } from './provider';

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export type ProcessRunner = (
  command: string,
  options: { env: AwsEnv; timeoutMs: number },
) => Promise<ProcessResult>;

const MAX_PROCESS_STDOUT = 1024 * 1024;
const MAX_PROCESS_STDERR = 16 * 1024;

const ProcessOutputSchema = z.object({
  Version: z.literal(1),
  AccessKeyId: z.string().min(1),
  SecretAccessKey: z.string().min(1),
  SessionToken: z.string().min(1).optional(),
  Expiration: z.string().min(1).optional(),
  AccountId: z.string().optional(),
});

/** Runs credential_process through the system shell, as the AWS SDK for JavaScript does. */
export function createProcessRunner(clock: Clock): ProcessRunner {
  return (command, { env, timeoutMs }) =>
    new Promise((resolve) => {
      const childEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let settled = false;
      const finish = (result: ProcessResult) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        resolve(result);
      };
      const posix = process.platform !== 'win32';
      // Its own process group (POSIX), so a timeout kills the shell and whatever it started.
      const child = spawn(command, {
        shell: true,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: posix,
        windowsHide: true,
      });
      const timer = clock.setTimeout(() => {
        timedOut = true;
        try {
          if (posix && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // Already gone.
        }
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ exitCode: null, stdout, stderr, timedOut });
      }, timeoutMs);
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (stdout.length < MAX_PROCESS_STDOUT) stdout += chunk;
      });
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < MAX_PROCESS_STDERR) stderr += chunk;
      });
      child.on('error', (error) =>
        finish({ exitCode: null, stdout: '', stderr: error.message, timedOut }),
      );
      child.on('close', (code) => finish({ exitCode: code, stdout, stderr, timedOut }));
    });
}

/** The printed JSON as keys; refuses output that is not Version 1 or has already expired. */
function parseProcessOutput(name: string, stdout: string, now: number): AwsCredentialIdentity {
  let json: unknown;
  try {
    json = JSON.parse(stdout) as unknown;
  } catch {
    throw new CredentialsError(
      'process-failed',
      name,
      `credential_process for profile "${name}" did not print JSON.`,
    );
  }
  const parsed = ProcessOutputSchema.safeParse(json);
  if (!parsed.success) {
    // Name the fields only: the output holds secrets.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))];
    throw new CredentialsError(
      'process-failed',
      name,
      `credential_process for profile "${name}" printed JSON without the expected fields (Version 1, AccessKeyId, SecretAccessKey); problems with: ${fields.join(', ')}.`,
    );
  }
  const out = parsed.data;
  let expiration: Date | undefined;
  if (out.Expiration !== undefined) {
    expiration = new Date(out.Expiration);
    if (Number.isNaN(expiration.getTime())) {
      throw new CredentialsError(
        'process-failed',
        name,
        `credential_process for profile "${name}" printed an Expiration that is not an ISO 8601 time.`,
      );
    }
    if (expiration.getTime() <= now) {
      throw new CredentialsError(
        'expired',
        name,
        `credential_process for profile "${name}" returned credentials that expired at ${expiration.toISOString()}.`,
      );
    }
  }
  return {
    accessKeyId: out.AccessKeyId,
    secretAccessKey: out.SecretAccessKey,
    ...(out.SessionToken && { sessionToken: out.SessionToken }),
    ...(expiration && { expiration }),
    ...(out.AccountId && { accountId: out.AccountId }),
  };
}

export function createProcessProvider(deps: {
  catalog: ProfileCatalog;
  clock: Clock;
  runProcess: ProcessRunner;
  timeoutMs: number;
}): CredentialProvider {
  const { catalog, clock, runProcess, timeoutMs } = deps;
  return {
    async credentials({ profile: { name } }) {
      const command = nonEmpty(catalog.settingsOf(name)?.get('credential_process'));
      if (!command) {
        throw new CredentialsError(
          'no-credentials',
          name,
          `Profile "${name}" has no credential_process.`,
        );
      }
      const result = await runProcess(command, { env: catalog.env, timeoutMs });
      const stderr = result.stderr.trim().slice(0, 300);
      if (result.timedOut) {
        throw new CredentialsError(
          'process-failed',
          name,
          `credential_process for profile "${name}" did not finish within ${Math.round(timeoutMs / 1000)} s.`,
        );
      }
      if (result.exitCode !== 0) {
        throw new CredentialsError(
          'process-failed',
          name,
          `credential_process for profile "${name}" failed (exit code ${result.exitCode ?? 'none'})${stderr ? `: ${stderr}` : ''}.`,
        );
      }
      return parseProcessOutput(name, result.stdout, clock.now());
    },
  };
}
