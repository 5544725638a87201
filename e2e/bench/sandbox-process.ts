// Child-process entry for the bench: starts a Local sandbox, prints how to reach it as one JSON
// line on stdout, and shuts it down when stdin closes.

import { startSandbox } from '../../electron/emulator/sandbox';
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
    })}\n`,
  );
  process.stdin.resume();
  process.stdin.once('end', () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench sandbox failed: ${toErrorMessage(error)}\n`);
  process.exit(1);
});
