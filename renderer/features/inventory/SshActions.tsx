// The instance's SSH actions: "Open in VS Code" (Remote-SSH over Session Manager; asks before
// ~/.ssh/config gets its one Include line, and shows the command when VS Code is not installed)
// and "Copy SSH command" (the `airlock ssh` line).
import { useState } from 'react';
import { useServices } from '../../app/context';
import type { Instance } from '../../../shared/ipc';

type Panel =
  | { kind: 'none' }
  | { kind: 'confirm'; file: string; line: string }
  | { kind: 'command'; title: string; command: string };

function copy(text: string): Promise<void> {
  return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error());
}

export function SshActions({ instance }: { readonly instance: Instance }) {
  const services = useServices();
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [busy, setBusy] = useState(false);
  const target = {
    instanceId: instance.instanceId,
    sourceId: instance.sourceId,
    region: instance.region,
  };
  const notify = services.app.getState().notify;

  const openInVsCode = async (allowInclude: boolean): Promise<void> => {
    setBusy(true);
    const result = await services.api.invoke('ssh:open-vscode', { ...target, allowInclude });
    setBusy(false);
    if (!result.ok) {
      notify('error', `Could not open VS Code: ${result.error.message}`);
      return;
    }
    const answer = result.value;
    if (answer.outcome === 'confirm-include') {
      setPanel({ kind: 'confirm', file: answer.file, line: answer.line });
    } else if (answer.outcome === 'no-code') {
      setPanel({
        kind: 'command',
        title: 'VS Code (code) is not on the PATH. Run this where it is:',
        command: answer.command,
      });
    } else {
      setPanel({ kind: 'none' });
      notify('info', `Opening ${answer.host} in VS Code`);
    }
  };

  const copySshCommand = async (): Promise<void> => {
    const result = await services.api.invoke('ssh:command', target);
    if (!result.ok) {
      notify('error', `Could not make the SSH command: ${result.error.message}`);
      return;
    }
    const { command } = result.value;
    setPanel({ kind: 'command', title: 'SSH command:', command });
    await copy(command).then(
      () => notify('info', 'SSH command copied'),
      () => undefined,
    );
  };

  return (
    <div className="details__ssh" data-testid="ssh-actions">
      <div className="details__actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void openInVsCode(false)}
        >
          Open in VS Code
        </button>
        <button type="button" className="button" onClick={() => void copySshCommand()}>
          Copy SSH command
        </button>
      </div>
      {panel.kind === 'confirm' ? (
        <div className="details__note" role="group" aria-label="Add Include line">
          <p>
            To let ssh and VS Code find Airlock’s entries, this line goes into {panel.file}, before
            its first Host or Match block (a copy is kept beside it):
          </p>
          <pre>{panel.line}</pre>
          <div className="details__actions">
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => void openInVsCode(true)}
            >
              Add the line and open
            </button>
            <button type="button" className="button" onClick={() => setPanel({ kind: 'none' })}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {panel.kind === 'command' ? (
        <div className="details__note" role="group" aria-label="Command">
          <p>{panel.title}</p>
          <pre data-testid="ssh-command">{panel.command}</pre>
          <div className="details__actions">
            <button
              type="button"
              className="button"
              onClick={() =>
                void copy(panel.command).then(
                  () => notify('info', 'Copied'),
                  () => notify('error', 'The clipboard is not available: select the text instead'),
                )
              }
            >
              Copy
            </button>
            <button type="button" className="button" onClick={() => setPanel({ kind: 'none' })}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
