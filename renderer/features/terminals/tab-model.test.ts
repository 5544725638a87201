// Unit tests for the tabs a request or a left-behind session makes: a plain shell or a document
// tab, a duplicate's request, and the state a session status means.
import { describe, expect, it } from 'vitest';
import type {
  DocumentName,
  InstanceId,
  Region,
  SourceId,
  TabSessionId,
} from '../../../shared/domain';
import type { AttachableSession } from '../../../shared/ipc';
import { reopenRequest, tabFromAttachable, tabFromRequest, type SessionTarget } from './tab-model';

const target: SessionTarget = {
  instanceId: 'i-0123456789abcdef0' as InstanceId,
  region: 'eu-west-1' as Region,
  sourceId: 'sandbox' as SourceId,
  name: 'web-1',
  sourceLabel: 'Local sandbox',
};

const leftBehind: AttachableSession = {
  tabSessionId: 'ts-1' as TabSessionId,
  awsSessionId: 'user-0a1b2c3d4e5f60001',
  instanceId: target.instanceId,
  region: target.region,
  sourceId: target.sourceId,
  documentName: 'SSM-SessionManagerRunShell' as DocumentName,
  status: 'open',
};

describe('tabFromAttachable', () => {
  it('makes a shell tab for the default shell document, with its session and status', () => {
    expect(tabFromAttachable(leftBehind, 'tab-1')).toEqual({
      key: 'tab-1',
      kind: 'shell',
      target: {
        instanceId: target.instanceId,
        region: target.region,
        sourceId: target.sourceId,
        name: '',
        sourceLabel: target.sourceId,
      },
      session: { id: 'ts-1', awsSessionId: 'user-0a1b2c3d4e5f60001' },
      state: { status: 'open' },
    });
  });

  it('makes a document tab for another document or any parameters', () => {
    const tab = tabFromAttachable(
      { ...leftBehind, parameters: { command: ['top'] }, status: 'closed' },
      'tab-2',
    );
    expect(tab).toMatchObject({
      kind: 'document',
      documentName: 'SSM-SessionManagerRunShell',
      documentLabel: 'SSM-SessionManagerRunShell',
      parameters: { command: ['top'] },
      state: { status: 'closed', reason: 'the session ended' },
    });
  });
});

describe('reopenRequest', () => {
  it('opens the same target with the same document as the tab', () => {
    const document = {
      name: 'AWS-StartInteractiveCommand' as DocumentName,
      label: 'Interactive command',
      parameters: { command: ['htop'] },
    };
    const tab = tabFromRequest({ target, document }, 'tab-3');
    expect(reopenRequest(tab)).toEqual({ target, document });
    expect(reopenRequest(tabFromRequest({ target }, 'tab-4'))).toEqual({ target });
  });
});
