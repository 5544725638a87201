import {
  DescribeDocumentCommand,
  GetDocumentCommand,
  InvalidDocument,
  InvalidDocumentVersion,
  InvalidFilterKey,
  InvalidNextToken,
  ListDocumentsCommand,
  type ListDocumentsCommandInput,
  paginateListDocuments,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox';
import { SESSION_DOCUMENTS } from './documents';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('sandbox SSM documents', () => {
  let sandbox: Sandbox;
  let ssm: SSMClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, pacing: false });
    ssm = new SSMClient({
      region: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentials,
    });
  });
  afterAll(async () => {
    ssm.destroy();
    await sandbox.close();
  });

  const names = Object.keys(SESSION_DOCUMENTS).sort();

  it('lists the Session documents, in pages, and refuses a token from another query', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListDocuments({ client: ssm, pageSize: 4 }, {})) {
      pages.push((page.DocumentIdentifiers ?? []).map((d) => d.Name ?? ''));
    }
    expect(pages.map((p) => p.length)).toEqual([4, names.length - 4]);
    expect(pages.flat()).toEqual(names);

    const first = await ssm.send(new ListDocumentsCommand({ MaxResults: 2 }));
    expect(first.DocumentIdentifiers?.[0]).toMatchObject({
      Owner: 'Amazon',
      DocumentType: 'Session',
      DocumentFormat: 'JSON',
      DocumentVersion: '1',
    });
    await expect(
      ssm.send(
        new ListDocumentsCommand({
          NextToken: first.NextToken,
          Filters: [{ Key: 'Owner', Values: ['Amazon'] }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextToken);
  });

  it('filters by name prefix, owner, type and keyword', async () => {
    const list = async (input: ListDocumentsCommandInput) =>
      ((await ssm.send(new ListDocumentsCommand(input))).DocumentIdentifiers ?? []).map(
        (d) => d.Name,
      );
    expect(await list({ Filters: [{ Key: 'Name', Values: ['AWS-StartPort'] }] })).toEqual([
      'AWS-StartPortForwardingSession',
      'AWS-StartPortForwardingSessionToRemoteHost',
    ]);
    expect(await list({ Filters: [{ Key: 'Owner', Values: ['Self'] }] })).toEqual([]);
    expect(
      await list({
        Filters: [
          { Key: 'DocumentType', Values: ['Session'] },
          { Key: 'SearchKeyword', Values: ['ssh'] },
        ],
      }),
    ).toEqual(['AWS-StartSSHSession']);
    expect(await list({ DocumentFilterList: [{ key: 'DocumentType', value: 'Command' }] })).toEqual(
      [],
    );
    await expect(
      ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Color', Values: ['red'] }] })),
    ).rejects.toBeInstanceOf(InvalidFilterKey);
  });

  it('describes a document and gets its content in JSON and YAML', async () => {
    const described = await ssm.send(new DescribeDocumentCommand({ Name: 'AWS-StartSSHSession' }));
    expect(described.Document).toMatchObject({
      Name: 'AWS-StartSSHSession',
      Status: 'Active',
      DocumentType: 'Session',
      Parameters: [{ Name: 'portNumber', Type: 'String', DefaultValue: '22' }],
    });
    const json = await ssm.send(new GetDocumentCommand({ Name: 'AWS-StartSSHSession' }));
    expect(JSON.parse(json.Content ?? '')).toMatchObject({
      schemaVersion: '1.0',
      sessionType: 'Port',
      parameters: { portNumber: { type: 'String', default: '22' } },
      properties: { portNumber: '{{ portNumber }}' },
    });
    const yaml = await ssm.send(
      new GetDocumentCommand({ Name: 'AWS-StartSSHSession', DocumentFormat: 'YAML' }),
    );
    expect(yaml.DocumentFormat).toBe('YAML');
    expect(yaml.Content).toContain("sessionType: 'Port'\n");
    expect(yaml.Content).toContain("properties:\n  portNumber: '{{ portNumber }}'\n");
  });

  it('answers unknown documents and versions with the service errors', async () => {
    await expect(
      ssm.send(new DescribeDocumentCommand({ Name: 'AWS-NoSuchDocument' })),
    ).rejects.toBeInstanceOf(InvalidDocument);
    await expect(
      ssm.send(new GetDocumentCommand({ Name: 'AWS-StartSSHSession', DocumentVersion: '7' })),
    ).rejects.toBeInstanceOf(InvalidDocumentVersion);
  });
});
