// What the app does with the page as a whole: the keyboard shortcuts of the command registry on
// the window, and in browser mode a question before leaving while a session runs.
import { useEffect } from 'react';
import { isLive } from '../features/terminals/store';
import type { Services } from './services';

export function useGlobalShortcuts(services: Services): void {
  useEffect(() => services.commands.listen(window), [services]);
}

/**
 * In browser mode, leaving the page ends its sessions (main closes what a vanished page owned),
 * so the browser asks first while any runs. The desktop app asks in main on quit.
 */
export function useAskBeforeLeaving(services: Services): void {
  useEffect(() => {
    if (services.mode !== 'browser') return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (services.tabs.getState().tabs.some(isLive)) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [services]);
}
