// Files dropped on a terminal tab go to the shell's instance: the confirm dialog names them and
// takes a destination, the transfer shows its progress and its SHA-256-checked result, and the
// file on the instance (the sandbox runs shells as the local user) holds exactly the bytes dropped.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../fixtures/airlock';
import { FilesPage } from '../pages/FilesPage';

const WEB = 'i-0a1b2c3d4e5f60001';

/** Every byte value, then a pattern that does not repeat with the chunk size. */
function everyByte(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 3;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i < 256 ? i : x >>> 24;
  }
  return out;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

test('a file dropped on a terminal tab is uploaded with progress and arrives byte for byte', async ({
  app,
  inventory,
  terminals,
}) => {
  const remoteDir = await mkdtemp(path.join(tmpdir(), 'airlock-e2e-drop-'));
  try {
    const files = new FilesPage(app);
    const data = everyByte(600 * 1024 + 7);
    await inventory.waitForRows();
    await inventory.openByDoubleClick(WEB);
    await terminals.waitUntilOpen();

    await files.drop(terminals.tab(0), [{ name: 'every byte.bin', bytes: data }]);
    const dialog = files.uploadDialog;
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('upload-files')).toContainText('every byte.bin');
    await expect(dialog.getByTestId('upload-files')).toContainText('600 KiB');
    const destination = dialog.getByLabel('Destination on the instance');
    await expect(destination).toHaveValue('~');
    await destination.fill(remoteDir);
    await files.recordProgress();
    await dialog.getByRole('button', { name: 'Upload' }).click();

    const transfer = files.transfers.filter({ hasText: 'every byte.bin' });
    await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(transfer.getByTestId('transfer-result')).toContainText(
      `SHA-256 verified at both ends (${sha256(data).slice(0, 12)}`,
    );
    const remoteFile = path.join(remoteDir, 'every byte.bin');
    await expect(transfer.getByTestId('transfer-destination')).toHaveText(remoteFile);
    expect(await files.seenProgress()).toContainEqual(expect.stringMatching(/ of 600 KiB/));
    expect(sha256(await readFile(remoteFile))).toBe(sha256(data));

    await transfer.getByRole('button', { name: 'Clear' }).click();
    await expect(files.transfers).toHaveCount(0);
  } finally {
    await rm(remoteDir, { recursive: true, force: true });
  }
});
