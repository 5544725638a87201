// Runs the Local sandbox for a figure, in this process (the default) or in a child process so the
// bench process holds only the client (used for the memory figure and BENCH_SANDBOX=process).

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startSandbox, type SandboxOptions } from '../../../electron/emulator/sandbox';

/** What a client needs to reach a sandbox; the keys are the sandbox's own, not real AWS keys. */
export interface SandboxEndpoint {
  endpoint: string;
  region: string;
  regions: readonly string[];
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Every account's key (the first is `credentials`). */
  accounts: readonly { accessKeyId: string; secretAccessKey: string }[];
  /** Whether the sandbox shares this process (its memory and CPU show up in ours). */
  inProcess: boolean;
  close(): Promise<void>;
}

/** The options a child sandbox accepts: plain JSON. */
export type ChildSandboxOptions = Pick<
  SandboxOptions,
  'pacing' | 'instances' | 'seed' | 'faults' | 'generatedAccounts'
> & {
  /** Cuts one active session's socket (no close frame) this often; the soak figure's chaos. */
  cutEveryMs?: number;
};

/**
 * Sandbox shells run /bin/sh with the bench's environment: the user's own shell start-up files
 * (pyenv, nvm, ...) can take seconds and would swamp the start-to-first-byte figure.
 */
export const BENCH_SHELL = '/bin/sh';

export function sandboxOptions(options: ChildSandboxOptions): SandboxOptions {
  const { cutEveryMs: _cutEveryMs, ...sandbox } = options;
  return { port: 0, idleTimeoutMs: 0, ...sandbox, dataChannel: { shell: { file: BENCH_SHELL } } };
}

export type SandboxPlacement = 'inprocess' | 'process';

export async function startBenchSandbox(
  options: ChildSandboxOptions,
  placement: SandboxPlacement,
): Promise<SandboxEndpoint> {
  if (placement === 'process') return startChildSandbox(options);
  const sandbox = await startSandbox(sandboxOptions(options));
  return {
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    regions: sandbox.regions,
    credentials: sandbox.credentials,
    accounts: sandbox.accounts.map((a) => ({
      accessKeyId: a.accessKeyId,
      secretAccessKey: a.secretAccessKey,
    })),
    inProcess: true,
    close: () => sandbox.close(),
  };
}

interface ChildHello {
  endpoint: string;
  region: string;
  regions: string[];
  accessKeyId: string;
  secretAccessKey: string;
  accounts: { accessKeyId: string; secretAccessKey: string }[];
}

async function startChildSandbox(options: ChildSandboxOptions): Promise<SandboxEndpoint> {
  const entry = fileURLToPath(new URL('../sandbox-process.ts', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', entry, JSON.stringify(options)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const stdout = child.stdout;
  if (!stdout) throw new Error('sandbox child has no stdout');
  const lines = createInterface({ input: stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`sandbox child exited early (code ${String(code)})`);
  });
  const hello = await Promise.race([
    once(lines, 'line').then(([line]) => JSON.parse(String(line)) as ChildHello),
    exited,
  ]);
  lines.close();
  exited.catch(() => undefined);
  return {
    endpoint: hello.endpoint,
    region: hello.region,
    regions: hello.regions,
    credentials: { accessKeyId: hello.accessKeyId, secretAccessKey: hello.secretAccessKey },
    accounts: hello.accounts,
    inProcess: false,
    async close() {
      if (child.exitCode !== null) return;
      const gone = once(child, 'exit');
      // Closing stdin asks the child to shut the sandbox down cleanly.
      child.stdin?.end();
      await gone;
    },
  };
}
