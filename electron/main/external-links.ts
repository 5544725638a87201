// Hands links to the system browser: allowed AWS hosts open at once, any other http(s) link only
// after the user said yes in a dialog that shows it, and nothing else ever.
import { dialog, shell, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { externalLinkAction } from './app-origin';

export interface ExternalLinkPorts {
  /** Shows the link and resolves true when the user chooses to open it. */
  readonly ask: (url: string) => Promise<boolean>;
  readonly open: (url: string) => Promise<void>;
}

/** Resolves true when the link was opened. */
export async function openExternalLink(url: string, ports: ExternalLinkPorts): Promise<boolean> {
  const action = externalLinkAction(url);
  if (action === 'refuse') return false;
  if (action === 'ask' && !(await ports.ask(url))) return false;
  await ports.open(url);
  return true;
}

/** The Electron ports: a modal question on the window (when there is one), then shell.openExternal. */
export function electronLinkPorts(window: () => BrowserWindow | undefined): ExternalLinkPorts {
  return {
    async ask(url) {
      const options: MessageBoxOptions = {
        type: 'question',
        buttons: ['Open in browser', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: 'Open this link in your browser?',
        detail: url,
        noLink: true,
      };
      const parent = window();
      const { response } = await (parent && !parent.isDestroyed()
        ? dialog.showMessageBox(parent, options)
        : dialog.showMessageBox(options));
      return response === 0;
    },
    open: (url) => shell.openExternal(url),
  };
}
