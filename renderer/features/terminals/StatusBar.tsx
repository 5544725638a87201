// The active terminal's status bar: its state, target, AWS session id, the countdown to a cut by
// the session preferences, its size, and its actions (start again, find, duplicate, save as
// profile, end session, close tab).
import { useEffect, useState } from 'react';
import { useServices } from '../../app/context';
import { COMMANDS } from '../../app/shortcuts';
import { shellProfileFromTab } from '../forwards/profile-mapping';
import type { TerminalController } from './controller';
import { SessionCountdown } from './SessionCountdown';
import { describeState, isLive, tabTitle, type TerminalTab } from './store';
import type { TerminalSize } from './surface';

function useTerminalSize(controller: TerminalController | undefined): TerminalSize | undefined {
  const [size, setSize] = useState<TerminalSize | undefined>(controller?.size);
  useEffect(() => {
    if (!controller) return undefined;
    setSize(controller.size);
    return controller.onSizeChange(setSize);
  }, [controller]);
  return size;
}

export function StatusBar({ tab }: { tab: TerminalTab }) {
  const services = useServices();
  const { tabs, terminals, forwards, app, commands } = services;
  const live = isLive(tab);
  const stale = tab.state.status === 'stale';
  const size = useTerminalSize(terminals.get(tab.key));
  return (
    <div className="statusbar" data-testid="terminal-status">
      <span className={`statusbar__state state--${tab.state.status}`} role="status">
        <span className={`tab__dot dot--${tab.state.status}`} aria-hidden="true" />
        {describeState(tab.state)}
      </span>
      <span className="statusbar__target" title={tab.target.instanceId}>
        {tab.target.name ? `${tab.target.name} · ` : ''}
        <span className="mono">{tab.target.instanceId}</span> · {tab.target.region} ·{' '}
        {tab.target.sourceLabel}
        {tab.kind === 'document' ? ` · ${tab.documentName}` : ''}
      </span>
      {tab.session ? (
        <span className="statusbar__session mono" title="AWS session id">
          {tab.session.awsSessionId}
        </span>
      ) : null}
      <SessionCountdown limits={services.limits} sessionId={tab.session?.id} live={live} />
      {size && live ? (
        <span className="statusbar__size mono">
          {size.cols}×{size.rows}
        </span>
      ) : null}
      <span className="toolbar__spacer" />
      {!live && !stale ? (
        <button
          type="button"
          className="button button--small button--primary"
          onClick={() => tabs.getState().restart(tab.key)}
        >
          Start again
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        onClick={() => commands.run(COMMANDS.findInTerminal)}
      >
        Find
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={stale}
        onClick={() => commands.run(COMMANDS.duplicateTab)}
      >
        Duplicate
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={stale}
        title="Save this tab's instance, document and parameters as a shell profile (listed under Profiles)"
        onClick={() => {
          void forwards
            .getState()
            .saveProfile(shellProfileFromTab(tab, tabTitle(tab)))
            .then((error) => {
              if (error !== undefined) app.getState().notify('error', `Could not save: ${error}`);
            });
        }}
      >
        Save as profile
      </button>
      {live ? (
        <button
          type="button"
          className="button button--small"
          title="Ends the session; the tab and its scrollback stay"
          onClick={() => void services.endTabSession(tab.key)}
        >
          End session
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        onClick={() => void services.closeTab(tab.key)}
      >
        Close tab
      </button>
    </div>
  );
}
