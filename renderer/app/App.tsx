// The app shell: the sidebar, the header, the banners and the views (Sidebar, Header, Banners and
// Views), notices, the one modal host, the keyboard shortcuts and the leave guard (page-hooks.ts),
// and the MFA and sign-in dialogs main may ask for at any time. When the connection to main is
// lost the whole shell shows it.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { MfaDialog } from '../features/sources/MfaDialog';
import { CommandPalette } from '../features/palette/CommandPalette';
import { SandboxSignInDialog } from '../features/sources/SandboxSignInDialog';
import { SsoLoginDialog } from '../features/sources/SsoLoginDialog';
import { ModalHost, useModals } from '../ui/ModalHost';
import { Banners } from './Banners';
import { useServices } from './context';
import { ErrorBoundary } from './ErrorBoundary';
import { Header } from './Header';
import { Notices } from './Notices';
import { useAskBeforeLeaving, useGlobalShortcuts } from './page-hooks';
import { COMMANDS } from './shortcuts';
import { Sidebar } from './Sidebar';
import type { View } from './store';
import { Views } from './Views';
import { UploadDialog } from '../features/files/UploadDialog';

/** Lends the modal host's confirm to the services (closing a live tab asks through it). */
function ConfirmPort() {
  const services = useServices();
  const { confirm } = useModals();
  useEffect(() => services.attachConfirm(confirm), [services, confirm]);
  return null;
}

/** The prompts main may raise at any time, whichever view shows. */
function UserPrompts() {
  return (
    <>
      <ErrorBoundary area="the MFA prompt">
        <MfaDialog />
      </ErrorBoundary>
      <ErrorBoundary area="the sign-in">
        <SsoLoginDialog />
      </ErrorBoundary>
      <ErrorBoundary area="the sandbox sign-in prompt">
        <SandboxSignInDialog />
      </ErrorBoundary>
      <ErrorBoundary area="the upload dialog">
        <UploadDialog />
      </ErrorBoundary>
    </>
  );
}

export function App() {
  const services = useServices();
  const view = useStore(services.app, (state) => state.view);
  const lostReason = useStore(services.app, (state) => state.lostReason);
  useGlobalShortcuts(services);
  useAskBeforeLeaving(services);
  const show = (target: View) => services.commands.run(COMMANDS.show(target));

  return (
    <ModalHost>
      <ConfirmPort />
      <div className={`app${lostReason === undefined ? '' : ' app--disconnected'}`}>
        <Sidebar view={view} onSelect={show} />
        <main className="main">
          <Header view={view} />
          <Banners />
          <Views view={view} />
        </main>
        <UserPrompts />
        <CommandPalette />
        <Notices />
      </div>
    </ModalHost>
  );
}
