// `airlock cp SRC DST`: copies files to or from an instance over Session Manager (core/files).

import type { Readable, Writable } from 'node:stream';
import { runningInstanceNamed } from '../core/aws/instance-by-name';
import type { AwsEnv } from '../core/aws/profiles';
import { systemClock, type Clock } from '../core/base/clock';
import { toErrorMessage } from '../core/base/errors';
import type { EngineOptions } from '../core/sessions/launcher';
import {
  commandSessionOpener,
  downloadFiles,
  TransferError,
  uploadFiles,
  type OverwritePolicy,
  type TransferProgress,
} from '../core/files';
import { CP_USAGE, CpUsageError, parseCpArgs, type CpArgs } from './cp-args';
import { instancePlatform } from './cp-platform';
import { profileClients } from './profile-clients';
import { oneLine } from './exit-status';
import type { SignalSource } from './forward';
import { readLine } from './prompt';
import { isTargetId } from './shell';

export interface CpIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: AwsEnv;
  signals?: SignalSource;
  clock?: Clock;
  /** Test seam: engine settings for the sessions (transport, client version). */
  engine?: EngineOptions;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One progress line: name, bytes, percent, speed and time left. */
export function progressLine(progress: TransferProgress): string {
  const total = progress.totalBytes;
  const percent = total ? ` ${Math.floor((progress.doneBytes / total) * 100)}%` : '';
  const left = progress.secondsLeft === undefined ? '' : `, ${duration(progress.secondsLeft)} left`;
  const name = progress.file === '' ? '' : `${progress.file}: `;
  return `${name}${megabytes(progress.doneBytes)}${total ? ` of ${megabytes(total)}` : ''}${percent}, ${megabytes(progress.bytesPerSecond)}/s${left}`;
}

/** --force, else a yes on the terminal, else no. */
function overwritePolicy(args: CpArgs, io: CpIo): OverwritePolicy {
  if (args.force) return 'always';
  if (!io.stdin.isTTY || !io.stderr.isTTY) return 'never';
  return async (path) => {
    io.stderr.write('\n');
    const answer = await readLine(io.stdin, io.stderr, `${path} exists. Overwrite? [y/N] `);
    return /^y(es)?$/i.test(answer);
  };
}

/** Runs `airlock cp ARGS` and resolves with the exit status. */
export async function runCp(args: readonly string[], io: CpIo): Promise<number> {
  const err = (text: string): void => {
    io.stderr.write(`${oneLine(`airlock cp: ${text}`)}\n`);
  };
  let parsed: CpArgs | 'help';
  try {
    parsed = parseCpArgs(args);
  } catch (error) {
    if (!(error instanceof CpUsageError)) throw error;
    err(error.message);
    io.stderr.write(`\n${CP_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(CP_USAGE);
    return 0;
  }
  const options = parsed;
  const clock = io.clock ?? systemClock;
  const aws = await profileClients(options, { env: io.env, clock }, 'cp');
  if ('problem' in aws) {
    err(aws.problem);
    return 1;
  }
  const { profile, region, clients, ssm, kms } = aws;
  const abort = new AbortController();
  const signals = io.signals ?? process;
  const onSignal = (): void => abort.abort();
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const showProgress = io.stderr.isTTY === true;
  let shown = false;
  try {
    let target = options.remote.target;
    if (!isTargetId(target))
      target = await runningInstanceNamed(clients.ec2(profile, region), target, region);
    const transfer = {
      open: commandSessionOpener({
        apis: { ssm, kms },
        target,
        ...(io.engine && { engine: io.engine }),
      }),
      recursive: options.recursive,
      overwrite: overwritePolicy(options, io),
      platform: await instancePlatform(clients.ssm(profile, region), target),
      signal: abort.signal,
      clock,
      ...(showProgress && {
        onProgress: (progress: TransferProgress) => {
          shown = true;
          io.stderr.write(`\r\x1b[K${progressLine(progress)}`);
        },
      }),
    };
    const result =
      options.direction === 'upload'
        ? await uploadFiles(options.local, options.remote.path, transfer)
        : await downloadFiles(options.remote.path, options.local, transfer);
    if (shown) io.stderr.write('\r\x1b[K');
    const where =
      options.direction === 'upload' ? `${target}:${result.destination}` : result.destination;
    io.stderr.write(
      `${result.files} ${result.files === 1 ? 'file' : 'files'}, ${megabytes(result.bytes)} -> ${where}\n`,
    );
    return 0;
  } catch (error) {
    if (shown) io.stderr.write('\r\x1b[K');
    if (error instanceof TransferError && error.code === 'cancelled') {
      err('cancelled; no file was left under its final name');
      return 130;
    }
    err(toErrorMessage(error));
    return 1;
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    aws.dispose();
  }
}
