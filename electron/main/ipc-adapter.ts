// ipcMain adapter: one ipcMain.handle per invoke channel, sender frame checked, events sent to windows.
import { ipcMain, webContents, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { invokeChannelNames, type Result } from '../../shared/ipc';
import type { IpcRouter, IpcSender } from '../core/ipc/router';
import { isTrustedFrame } from './app-origin';

interface ElectronSender extends IpcSender {
  readonly event: IpcMainInvokeEvent;
}

export function senderIdOf(contents: WebContents): string {
  return `webcontents-${contents.id}`;
}

/** Installs the handlers; returns a disposer that removes them and the event forwarding. */
export function attachIpcMain(router: IpcRouter): () => void {
  const isTrusted = (sender: ElectronSender): boolean => isTrustedFrame(sender.event.senderFrame);
  const watched = new Set<number>();

  for (const channel of invokeChannelNames) {
    ipcMain.handle(channel, (event, payload: unknown): Promise<Result<unknown>> => {
      const contents = event.sender;
      if (!watched.has(contents.id)) {
        watched.add(contents.id);
        const id = senderIdOf(contents);
        contents.once('destroyed', () => {
          watched.delete(contents.id);
          router.senderGone(id);
        });
      }
      return router.dispatch(
        {
          channel,
          payload,
          sender: {
            id: senderIdOf(contents),
            description: event.senderFrame?.url ?? 'unknown frame',
            event,
          },
        },
        isTrusted,
      );
    });
  }

  const unsubscribe = router.subscribe((channel, payload, target) => {
    for (const contents of webContents.getAllWebContents()) {
      if (contents.isDestroyed() || !watched.has(contents.id)) continue;
      if (target !== undefined && target !== senderIdOf(contents)) continue;
      contents.send(channel, payload);
    }
  });

  return () => {
    unsubscribe();
    for (const channel of invokeChannelNames) ipcMain.removeHandler(channel);
  };
}
