// DocumentsService: built-ins always; every terminal document the account owns, was shared or
// AWS publishes, read as JSON; each region's preferences.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../base/logger';
import { parseSessionDocument, type DocumentOwnerFilter, type DocumentsApi } from './documents-api';
import { createDocumentsService } from './documents-service';
import type { SessionSource } from './sources';

function source(api: DocumentsApi): SessionSource {
  return {
    info: { id: 'aws', kind: 'aws', label: 'aws', regions: ['us-east-1'] },
    defaultRegion: 'us-east-1',
    documents: () => api,
  } as unknown as SessionSource;
}

const command = (sessionType: string, parameters: object = {}) =>
  JSON.stringify({ schemaVersion: '1.0', sessionType, parameters });

/** A fake account: documents per owner filter, contents by name, and a count of calls. */
function fakeApi(
  byOwner: Partial<Record<DocumentOwnerFilter, { name: string; owner: string }[] | Error>>,
  contents: Record<string, string>,
) {
  const calls = { list: 0, get: [] as string[] };
  const api: DocumentsApi = {
    listSessionDocuments(owner) {
      calls.list++;
      const found = byOwner[owner] ?? [];
      return found instanceof Error ? Promise.reject(found) : Promise.resolve(found);
    },
    getDocumentJson(name) {
      calls.get.push(name);
      return Promise.resolve(contents[name]);
    },
  };
  return { api, calls };
}

describe('DocumentsService', () => {
  it('offers the shell (default) and both command documents when nothing else is listed', async () => {
    const { api } = fakeApi({}, {});
    const service = createDocumentsService({ sources: () => [source(api)], logger: silentLogger });
    const { documents } = await service.list({});
    expect(documents.map((d) => [d.name, d.sessionType, d.isDefault])).toEqual([
      ['SSM-SessionManagerRunShell', 'Standard_Stream', true],
      ['AWS-StartInteractiveCommand', 'InteractiveCommands', false],
      ['AWS-StartNonInteractiveCommand', 'NonInteractiveCommands', false],
    ]);
    expect(documents[2]!.parameters).toEqual([
      { name: 'command', description: 'The command to run.', required: true },
    ]);
  });

  it('adds own, shared and AWS terminal documents, skips port ones, and reads each once', async () => {
    const shared = 'arn:aws:ssm:us-east-1:444455556666:document/Team-Top';
    const { api, calls } = fakeApi(
      {
        Self: [
          { name: 'Team-Psql', owner: '123456789012' },
          { name: 'SSM-SessionManagerRunShell', owner: '123456789012' },
          { name: 'Team-Tunnel', owner: '123456789012' },
        ],
        Private: [{ name: shared, owner: '444455556666' }],
        Amazon: [
          { name: 'AWS-StartInteractiveCommand', owner: 'Amazon' },
          { name: 'AWS-RunFleetReport', owner: 'Amazon' },
        ],
      },
      {
        // A YAML-authored document converted to JSON: the default came out as a number.
        'Team-Psql': command('InteractiveCommands', { db: { default: 5432 } }),
        'Team-Tunnel': command('Port'),
        [shared]: command('InteractiveCommands', { count: { description: 'n' } }),
        'AWS-RunFleetReport': command('NonInteractiveCommands'),
      },
    );
    const service = createDocumentsService({ sources: () => [source(api)], logger: silentLogger });
    const first = await service.list({ sourceId: 'aws' });
    await service.list({ sourceId: 'aws' });
    expect(calls.list).toBe(3);
    // The built-ins and the preferences document are never fetched.
    expect(calls.get.sort()).toEqual(['AWS-RunFleetReport', 'Team-Psql', 'Team-Tunnel', shared]);
    const listed = first.documents.slice(3);
    expect(listed.map((d) => [d.name, d.label, d.origin, d.ownerAccountId])).toEqual([
      ['Team-Psql', 'Team-Psql', 'account', undefined],
      [shared, 'Team-Top', 'shared', '444455556666'],
      ['AWS-RunFleetReport', 'AWS-RunFleetReport', 'amazon', undefined],
    ]);
    expect(listed[0]!.parameters).toEqual([
      { name: 'db', description: '', defaultValue: '5432', required: false },
    ]);
    expect(listed[1]!.parameters[0]!.required).toBe(true);
  });

  it('keeps what it could list when one owner listing is denied', async () => {
    const { api } = fakeApi(
      { Self: new Error('AccessDenied'), Private: [{ name: 'Shared-One', owner: '444455556666' }] },
      { 'Shared-One': command('Standard_Stream') },
    );
    const service = createDocumentsService({ sources: () => [source(api)], logger: silentLogger });
    expect((await service.list({})).documents.map((d) => d.name)).toContain('Shared-One');
  });

  it('reads the preferences, gives the defaults where none exist, and retries after failures', async () => {
    let fail = true;
    const contents: Record<string, string> = {};
    const api: DocumentsApi = {
      listSessionDocuments: () => Promise.resolve([]),
      getDocumentJson: (name) =>
        fail ? Promise.reject(new Error('AccessDenied')) : Promise.resolve(contents[name]),
    };
    const service = createDocumentsService({ sources: () => [source(api)], logger: silentLogger });
    expect(await service.preferences({})).toEqual({ problem: 'AccessDenied' });
    fail = false;
    expect((await service.preferences({})).preferences).toMatchObject({
      configured: false,
      idleTimeoutMinutes: 20,
    });
    contents['SSM-SessionManagerRunShell'] = JSON.stringify({
      inputs: { idleSessionTimeout: '2', runAsEnabled: true, runAsDefaultUser: 'ops' },
    });
    // Cached per region: another region reads again.
    expect((await service.preferences({ region: 'eu-west-1' })).preferences).toMatchObject({
      configured: true,
      idleTimeoutMinutes: 2,
      runAs: { enabled: true, defaultUser: 'ops' },
    });
  });

  it('parses Session document content defensively', () => {
    expect(parseSessionDocument('x', 'nope')).toBeUndefined();
    expect(parseSessionDocument('x', '{"schemaVersion":"1.0"}')).toBeUndefined();
    expect(
      parseSessionDocument(
        'x',
        '{"sessionType":"InteractiveCommands","parameters":{"command":{"type":"String","description":"c"}}}',
      ),
    ).toEqual({
      name: 'x',
      description: '',
      sessionType: 'InteractiveCommands',
      parameters: [{ name: 'command', description: 'c' }],
    });
  });
});
