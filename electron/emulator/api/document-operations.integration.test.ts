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
import {
  documentArn,
  OWN_YAML_DOCUMENT,
  SHARED_DOCUMENT,
  SHARING_ACCOUNT_ID,
} from './document-catalog';
import { PREFERENCES_DOCUMENT } from './session-preferences';

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

  const amazon = Object.keys(SESSION_DOCUMENTS);
  const shared = () => documentArn(sandbox.region, SHARING_ACCOUNT_ID, SHARED_DOCUMENT);
  const names = () => [...amazon, OWN_YAML_DOCUMENT, PREFERENCES_DOCUMENT, shared()].sort();
  const list = async (input: ListDocumentsCommandInput) =>
    ((await ssm.send(new ListDocumentsCommand(input))).DocumentIdentifiers ?? []).map(
      (d) => d.Name,
    );

  it('lists the Session documents, in pages, and refuses a token from another query', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListDocuments({ client: ssm, pageSize: 3 }, {})) {
      pages.push((page.DocumentIdentifiers ?? []).map((d) => d.Name ?? ''));
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, names().length - 6]);
    expect(pages.flat()).toEqual(names());

    const first = await ssm.send(new ListDocumentsCommand({ MaxResults: 2 }));
    expect(first.DocumentIdentifiers?.[0]).toMatchObject({
      Name: 'AWS-StartInteractiveCommand',
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
    expect(await list({ Filters: [{ Key: 'Name', Values: ['AWS-StartPort'] }] })).toEqual([
      'AWS-StartPortForwardingSession',
      'AWS-StartPortForwardingSessionToRemoteHost',
    ]);
    expect(await list({ Filters: [{ Key: 'Owner', Values: ['Self'] }] })).toEqual([
      OWN_YAML_DOCUMENT,
      PREFERENCES_DOCUMENT,
    ]);
    expect(await list({ Filters: [{ Key: 'Owner', Values: ['Private'] }] })).toEqual([shared()]);
    expect(await list({ Filters: [{ Key: 'Owner', Values: ['Amazon'] }] })).toEqual(
      [...amazon].sort(),
    );
    expect(await list({ Filters: [{ Key: 'Owner', Values: ['ThirdParty'] }] })).toEqual([]);
    expect(
      await list({ Filters: [{ Key: 'Owner', Values: ['Self', 'Private', 'Amazon'] }] }),
    ).toEqual(names());
    await expect(
      ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Mine'] }] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
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

describe('sandbox account and shared Session documents', () => {
  let sandbox: Sandbox;
  let ssm: SSMClient;
  const otherRegion = 'eu-west-1';

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      pacing: false,
      preferences: { [otherRegion]: null },
    });
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

  it('returns a YAML-authored document as written, and as JSON when asked', async () => {
    const listed = await ssm.send(
      new ListDocumentsCommand({ Filters: [{ Key: 'Name', Values: [OWN_YAML_DOCUMENT] }] }),
    );
    expect(listed.DocumentIdentifiers?.[0]).toMatchObject({
      Owner: sandbox.accounts[0]?.accountId,
      DocumentFormat: 'YAML',
    });
    const asWritten = await ssm.send(new GetDocumentCommand({ Name: OWN_YAML_DOCUMENT }));
    expect(asWritten.DocumentFormat).toBe('YAML');
    expect((): unknown => JSON.parse(asWritten.Content ?? '')).toThrow();
    const json = await ssm.send(
      new GetDocumentCommand({ Name: OWN_YAML_DOCUMENT, DocumentFormat: 'JSON' }),
    );
    expect(json.DocumentFormat).toBe('JSON');
    expect(JSON.parse(json.Content ?? '')).toMatchObject({
      sessionType: 'InteractiveCommands',
      parameters: { path: { type: 'String', default: '/' } },
      properties: { linux: { commands: 'df -h {{ path }}', runAsElevated: false } },
    });
  });

  it('finds a shared document by its ARN only', async () => {
    const arn = documentArn(sandbox.region, SHARING_ACCOUNT_ID, SHARED_DOCUMENT);
    const described = await ssm.send(new DescribeDocumentCommand({ Name: arn }));
    expect(described.Document).toMatchObject({ Owner: SHARING_ACCOUNT_ID, Name: arn });
    await expect(
      ssm.send(new GetDocumentCommand({ Name: SHARED_DOCUMENT })),
    ).rejects.toBeInstanceOf(InvalidDocument);
    await expect(
      ssm.send(
        new GetDocumentCommand({
          Name: documentArn('ap-south-1', SHARING_ACCOUNT_ID, SHARED_DOCUMENT),
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidDocument);
  });

  it('has a preferences document only in regions that configured one', async () => {
    const prefs = await ssm.send(
      new GetDocumentCommand({ Name: PREFERENCES_DOCUMENT, DocumentFormat: 'JSON' }),
    );
    expect(JSON.parse(prefs.Content ?? '')).toMatchObject({
      sessionType: 'Standard_Stream',
      inputs: { idleSessionTimeout: '20', runAsEnabled: false },
    });
    const other = new SSMClient({
      region: otherRegion,
      endpoint: sandbox.endpoint,
      credentials: sandbox.credentials,
    });
    try {
      await expect(
        other.send(new GetDocumentCommand({ Name: PREFERENCES_DOCUMENT })),
      ).rejects.toBeInstanceOf(InvalidDocument);
      sandbox.preferences.set(otherRegion, { idleSessionTimeout: '2', runAsEnabled: true });
      const set = await other.send(new GetDocumentCommand({ Name: PREFERENCES_DOCUMENT }));
      expect(JSON.parse(set.Content ?? '')).toMatchObject({
        inputs: { idleSessionTimeout: '2', runAsEnabled: true, s3BucketName: '' },
      });
    } finally {
      other.destroy();
      sandbox.preferences.set(otherRegion, null);
    }
  });
});
