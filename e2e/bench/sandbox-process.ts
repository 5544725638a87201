// Child-process entry for the bench: starts a Local sandbox, prints how to reach it as one JSON
// line on stdout, and shuts it down when stdin closes.

import { startSandbox, type Sandbox } from '../../electron/emulator/sandbox';
import { sandboxOptions, type ChildSandboxOptions } from './lib/sandbox-host';
import { toErrorMessage } from '../../electron/core/base/errors';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ChildSandboxOptions;
  const sandbox = await startSandbox(sandboxOptions(options));
  process.stdout.write(
    `${JSON.stringify({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      regions: sandbox.regions,
      accessKeyId: sandbox.credentials.accessKeyId,
      secretAccessKey: sandbox.credentials.secretAccessKey,
      accounts: sandbox.accounts.map((a) => ({
        accessKeyId: a.accessKeyId,
        secretAccessKey: a.secretAccessKey,
      })),
    })}\n`,
  );
  const chaos =
    options.cutEveryMs !== undefined && options.cutEveryMs > 0
      ? setInterval(() => cutOneSession(sandbox), options.cutEveryMs)
      : undefined;
  process.stdin.resume();
  process.stdin.once('end', () => {
    if (chaos) clearInterval(chaos);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

let cutTurn = 0;

/** Drops the socket of one active session, in turn, as a network failure would. */
function cutOneSession(sandbox: Sandbox): void {
  const active = sandbox.registry.active();
  if (active.length === 0) return;
  const record = active[cutTurn++ % active.length];
  if (record) sandbox.dataChannel.cut(record.sessionId);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench sandbox failed: ${toErrorMessage(error)}\n`);
  process.exit(1);
});
