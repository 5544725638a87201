// A Local sandbox (pacing off) with the SSM and KMS clients and the transfer options that reach its
// web instance, for the file-transfer tests; close() ends them all.
import { DEFAULT_INSTANCES } from '../../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../../emulator/sandbox';
import { createKmsApi } from '../aws/kms-api';
import { createSsmApi } from '../aws/ssm-api';
import { commandSessionOpener, type TransferOptions } from '../files';

export interface TransferSandbox {
  readonly sandbox: Sandbox;
  /** Sessions on the web instance; no recursion, never overwriting. */
  readonly options: TransferOptions;
  close(): Promise<void>;
}

/** `shell` is the sandbox's shell (tests name /bin/sh, as the real agent starts it). */
export async function startTransferSandbox(shell: {
  file: string;
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<TransferSandbox> {
  const sandbox = await startSandbox({ port: 0, pacing: false, dataChannel: { shell } });
  const aws = {
    region: sandbox.region,
    credentials: sandbox.credentials,
    endpoint: sandbox.endpoint,
  };
  const ssm = createSsmApi(aws);
  const kms = createKmsApi(aws);
  return {
    sandbox,
    options: {
      open: commandSessionOpener({ apis: { ssm, kms }, target: DEFAULT_INSTANCES.web }),
      recursive: false,
      overwrite: 'never',
    },
    async close() {
      ssm.destroy();
      kms.destroy();
      await sandbox.close();
    },
  };
}
