// The selection file: the first profile when there is none, the user's order kept, the regions of
// an unticked profile restored when it is ticked again, and the other backend's part left alone.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProfiles, type ProfileCatalog } from '../aws/profiles';
import { nodeFileSystem } from '../base/fs';
import { silentLogger } from '../base/logger';
import { SelectionStore } from './selection-store';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-selection-unit-'));
  file = path.join(dir, 'sources.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CONFIG = '[profile dev]\nregion = eu-west-1\n[profile prod]\nregion = us-east-1\n';
const CREDENTIALS =
  '[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = secret\n' +
  '[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = secret\n';

function catalog(): Promise<ProfileCatalog> {
  return loadProfiles({
    env: {},
    homeDir: dir,
    readFile: (name) =>
      Promise.resolve(path.basename(name) === 'credentials' ? CREDENTIALS : CONFIG),
  });
}

function store(): SelectionStore {
  return new SelectionStore({ file, fs: nodeFileSystem, logger: silentLogger });
}

describe('SelectionStore', () => {
  it('starts with the first profile that has credentials when there is no file', async () => {
    const selection = store();
    await selection.load(await catalog());
    expect(selection.selections).toEqual([{ profile: 'dev' }]);
    expect(selection.problems).toEqual([]);
  });

  it('keeps a listed profile in place and adds new ones last', async () => {
    const selection = store();
    await selection.load(await catalog());
    await selection.select('prod', true);
    await selection.select('dev', true, ['eu-west-1', 'eu-west-1', 'eu-central-1']);
    expect(selection.selections).toEqual([
      { profile: 'dev', regions: ['eu-west-1', 'eu-central-1'] },
      { profile: 'prod' },
    ]);
  });

  it('restores the regions of a profile ticked again, also after a restart', async () => {
    const selection = store();
    await selection.load(await catalog());
    await selection.select('dev', true, ['eu-central-1']);
    await selection.select('dev', false);
    const restarted = store();
    await restarted.load(await catalog());
    expect(restarted.find('dev')).toBeUndefined();
    await restarted.select('dev', true);
    expect(restarted.find('dev')).toEqual({ profile: 'dev', regions: ['eu-central-1'] });
  });

  it("writes only its own backend's part of the file", async () => {
    await writeFile(
      file,
      JSON.stringify({ version: 1, sandbox: [{ profile: 'sandbox', regions: ['us-east-1'] }] }),
    );
    const selection = store();
    await selection.load(await catalog());
    await selection.select('prod', true);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(saved['sandbox']).toEqual([{ profile: 'sandbox', regions: ['us-east-1'] }]);
    expect(saved['aws']).toEqual([{ profile: 'dev' }, { profile: 'prod' }]);
  });

  it('names a file it cannot read and starts from the default', async () => {
    await writeFile(file, '{ not json');
    const selection = store();
    await selection.load(await catalog());
    expect(selection.selections).toEqual([{ profile: 'dev' }]);
    expect(selection.problems).toEqual([
      expect.stringContaining('not a selection Airlock can read'),
    ]);
  });
});
