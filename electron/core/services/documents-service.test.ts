// DocumentsService: built-ins always; an account's own terminal documents for AWS sources only.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../base/logger';
import { parseSessionDocument, type DocumentsApi } from './documents-api';
import { createDocumentsService } from './documents-service';
import type { SessionSource } from './sources';

function source(kind: 'aws' | 'sandbox', api: DocumentsApi): SessionSource {
  return {
    info: { id: kind, kind, label: kind, regions: ['us-east-1'] },
    defaultRegion: 'us-east-1',
    documents: () => api,
  } as unknown as SessionSource;
}

describe('DocumentsService', () => {
  it('offers the shell (default) and interactive command for the sandbox', async () => {
    const service = createDocumentsService({
      sources: () => [
        source('sandbox', { listOwnSessionDocuments: () => Promise.reject(new Error('unused')) }),
      ],
      logger: silentLogger,
    });
    const { documents } = await service.list({});
    expect(documents.map((d) => [d.name, d.isDefault])).toEqual([
      ['SSM-SessionManagerRunShell', true],
      ['AWS-StartInteractiveCommand', false],
    ]);
    expect(documents[1]!.parameters).toEqual([
      { name: 'command', description: 'The command to run.', required: true },
    ]);
  });

  it("adds an account's terminal documents, skips port ones, caches, and survives denial", async () => {
    let calls = 0;
    const service = createDocumentsService({
      sources: () => [
        source('aws', {
          listOwnSessionDocuments: () => {
            calls++;
            return Promise.resolve([
              {
                name: 'Team-Psql',
                description: 'psql',
                sessionType: 'InteractiveCommands',
                parameters: [{ name: 'db', description: '', defaultValue: 'app' }],
              },
              { name: 'Team-Tunnel', description: '', sessionType: 'Port', parameters: [] },
            ]);
          },
        }),
      ],
      logger: silentLogger,
    });
    const first = await service.list({ sourceId: 'aws' });
    await service.list({ sourceId: 'aws' });
    expect(calls).toBe(1);
    expect(first.documents.map((d) => d.name)).toEqual([
      'SSM-SessionManagerRunShell',
      'AWS-StartInteractiveCommand',
      'Team-Psql',
    ]);
    expect(first.documents[2]!.parameters).toEqual([
      { name: 'db', description: '', defaultValue: 'app', required: false },
    ]);

    const denied = createDocumentsService({
      sources: () => [
        source('aws', { listOwnSessionDocuments: () => Promise.reject(new Error('AccessDenied')) }),
      ],
      logger: silentLogger,
    });
    expect((await denied.list({})).documents).toHaveLength(2);
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
