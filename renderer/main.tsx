// Renderer entry: connects to main (Electron preload or the browser-mode bridge), builds the
// services, and renders the app.
import '@xterm/xterm/css/xterm.css';
// The stylesheets in cascade order: tokens, the UI kit, the shell, then one per feature.
import './tokens.css';
import './ui/ui.css';
import './app/app.css';
import './features/inventory/inventory.css';
import './features/terminals/terminals.css';
import './features/settings/settings.css';
import './features/sessions/sessions.css';
import './features/forwards/forwards.css';
import './features/sources/sources.css';
import './features/palette/palette.css';
import './features/recordings/recordings.css';
import './features/files/files.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as configureZod } from 'zod';
import { App } from './app/App';
import { ServicesContext } from './app/context';
import { createServices } from './app/services';
import type { ClipboardPort } from './features/terminals/controller';
import { connectFromWindow } from './lib/api';

// The CSP forbids eval; tell zod up front instead of letting it probe (and log a violation).
configureZod({ jitless: true });

const clipboard: ClipboardPort = {
  writeText: (text) =>
    navigator.clipboard
      ? navigator.clipboard.writeText(text)
      : Promise.reject(new Error('no clipboard')),
  readText: () =>
    navigator.clipboard
      ? navigator.clipboard.readText()
      : Promise.reject(new Error('no clipboard')),
};

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

const services = createServices(connectFromWindow(), {
  clipboard,
  prefersDark: () => darkQuery.matches,
  onPrefersDarkChange: (listener) => {
    const onChange = (event: MediaQueryListEvent) => listener(event.matches);
    darkQuery.addEventListener('change', onChange);
    return () => darkQuery.removeEventListener('change', onChange);
  },
  applyTheme: (theme) => {
    document.documentElement.dataset['theme'] = theme;
    document.documentElement.style.colorScheme = theme;
  },
  openLink: (uri) => {
    // Only web links leave the app; the main process decides how to open them.
    if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
  },
});
void services.app.getState().loadInfo();
void services.settings.getState().load();
window.addEventListener('beforeunload', () => services.dispose());

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <App />
    </ServicesContext.Provider>
  </StrictMode>,
);
