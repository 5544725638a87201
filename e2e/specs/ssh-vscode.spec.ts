// "Open in VS Code" and "Copy SSH command" on an instance: with a fake `code` on the server's PATH
// that records its arguments, the app asks before adding the Include line to ~/.ssh/config,
// writes the instance's Host entry, and starts `code --remote ssh-remote+HOST PATH`.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect } from '../fixtures/airlock';
import { START_TIMEOUT_MS, startBrowserMode } from '../fixtures/browser-mode';

const WEB_ID = 'i-0a1b2c3d4e5f60001';
/** The fake `code` writes its arguments here, one per line, inside the server's HOME. */
const ARGS_FILE = 'code-arguments.txt';

/** A directory with the fake `code`, put first on the server's PATH. */
async function fakeCodeBin(): Promise<string> {
  const bin = await mkdtemp(path.join(tmpdir(), 'airlock-e2e-code-'));
  const code = path.join(bin, 'code');
  await writeFile(
    code,
    `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg"; done > "$HOME/${ARGS_FILE}"\n`,
  );
  await chmod(code, 0o755);
  return bin;
}

const test = base.extend({
  server: [
    // Playwright requires the first fixture argument to be a destructuring pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const bin = await fakeCodeBin();
      const server = await startBrowserMode({
        prepareHome: async (home) => {
          await mkdir(path.join(home, '.ssh'), { mode: 0o700 });
          await writeFile(path.join(home, '.ssh', 'config'), 'Host mine\n  User me\n');
        },
        env: { PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` },
      });
      try {
        await use(server);
      } finally {
        await server.stop();
        await rm(bin, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: START_TIMEOUT_MS + 30_000 },
  ],
});

test('Open in VS Code asks first, writes the entry and starts code with the right arguments', async ({
  inventory,
  server,
}) => {
  await inventory.waitForRows(1);
  await inventory.select(WEB_ID);
  const actions = inventory.details.getByTestId('ssh-actions');
  await actions.getByRole('button', { name: 'Open in VS Code' }).click();

  const confirm = actions.getByRole('group', { name: 'Add Include line' });
  await expect(confirm).toContainText(path.join(server.home, '.ssh', 'config'));
  // Nothing is written before the user agrees.
  expect(await readFile(path.join(server.home, '.ssh', 'config'), 'utf8')).toBe(
    'Host mine\n  User me\n',
  );
  await confirm.getByRole('button', { name: 'Add the line and open' }).click();

  const argsFile = path.join(server.home, ARGS_FILE);
  await expect
    .poll(() => readFile(argsFile, 'utf8').catch(() => ''))
    .toBe(`--remote\nssh-remote+${WEB_ID}\n/home/ec2-user\n`);
  const userConfig = await readFile(path.join(server.home, '.ssh', 'config'), 'utf8');
  expect(userConfig).toMatch(/^Include \S+\/\.ssh\/airlock\/config\n\nHost mine\n {2}User me\n$/);
  const own = await readFile(path.join(server.home, '.ssh', 'airlock', 'config'), 'utf8');
  expect(own).toContain(`Host ${WEB_ID}\n  HostName ${WEB_ID}\n  User ec2-user\n`);
  expect(own).toMatch(
    /ProxyCommand \S+ ssh-proxy --region us-east-1 --push-key \S+ --user %r %h %p/,
  );

  await actions.getByRole('button', { name: 'Copy SSH command' }).click();
  await expect(actions.getByTestId('ssh-command')).toHaveText(
    `airlock ssh --region us-east-1 --user ec2-user ${WEB_ID}`,
  );
});
