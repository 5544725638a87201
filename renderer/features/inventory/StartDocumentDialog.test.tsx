// The start-with-document dialog: documents grouped by owner, a shared one named by its owner,
// the default shell started naming no document, and parameters sent with a command document.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocumentName } from '../../../shared/domain';
import type { SessionDocument } from '../../../shared/ipc';
import { FakeApi } from '../../testing/fake-api';
import { makeInstance } from '../../testing/instances';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { StartDocumentDialog } from './StartDocumentDialog';

afterEach(() => {
  cleanup();
  disposeAllServices();
});

const doc = (
  overrides: Omit<Partial<SessionDocument>, 'name'> & { name: string },
): SessionDocument => ({
  label: overrides.name,
  description: '',
  sessionType: 'InteractiveCommands',
  parameters: [],
  builtIn: false,
  origin: 'account',
  isDefault: false,
  ...overrides,
  name: overrides.name as DocumentName,
});

const shared = 'arn:aws:ssm:us-east-1:444455556666:document/Team-Top';
const documents: SessionDocument[] = [
  doc({
    name: 'SSM-SessionManagerRunShell',
    label: 'Shell',
    sessionType: 'Standard_Stream',
    builtIn: true,
    origin: 'amazon',
    isDefault: true,
  }),
  doc({
    name: 'AWS-StartNonInteractiveCommand',
    label: 'Command (no input)',
    sessionType: 'NonInteractiveCommands',
    builtIn: true,
    origin: 'amazon',
    parameters: [{ name: 'command', description: 'The command to run.', required: true }],
  }),
  doc({
    name: 'Airlock-DiskUsage',
    parameters: [{ name: 'path', description: 'Directory', required: false, defaultValue: '/' }],
  }),
  doc({ name: shared, label: 'Team-Top', origin: 'shared', ownerAccountId: '444455556666' }),
];

async function open() {
  const api = new FakeApi().reply('documents:list', { ok: true, value: { documents } });
  const onStart = vi.fn();
  await renderWithServices(
    api,
    <StartDocumentDialog instance={makeInstance({})} onCancel={() => {}} onStart={onStart} />,
  );
  await act(flushMicrotasks);
  return { onStart, select: screen.getByRole<HTMLSelectElement>('combobox') };
}

describe('StartDocumentDialog', () => {
  it('groups documents by owner and names who shared one', async () => {
    const { select } = await open();
    const groups = [...select.querySelectorAll('optgroup')].map((group) => [
      group.label,
      [...group.querySelectorAll('option')].map((option) => option.textContent),
    ]);
    expect(groups).toEqual([
      ["This account's documents", ['Airlock-DiskUsage']],
      ['Shared with this account', ['Team-Top (shared by 444455556666)']],
      [
        'AWS documents',
        [
          "Shell (the session preferences' shell)",
          'Command (no input) (AWS-StartNonInteractiveCommand)',
        ],
      ],
    ]);
  });

  it('starts the default shell naming no document', async () => {
    const { select, onStart } = await open();
    fireEvent.change(select, { target: { value: 'SSM-SessionManagerRunShell' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start session' }));
    expect(onStart).toHaveBeenCalledWith(undefined);
  });

  it('sends a command document with its parameters', async () => {
    const { select, onStart } = await open();
    fireEvent.change(select, { target: { value: 'AWS-StartNonInteractiveCommand' } });
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'uptime' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start session' }));
    expect(onStart).toHaveBeenCalledWith({
      name: 'AWS-StartNonInteractiveCommand',
      label: 'Command (no input)',
      parameters: { command: ['uptime'] },
    });
  });
});
