// Sandboxed preload: exposes one frozen `window.airlock` Api, built mechanically from the IPC contract.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_GLOBAL_NAME, createApiClient } from '../../shared/ipc/client';
import { isEventChannelName, isInvokeChannelName } from '../../shared/ipc/contract';

const api = createApiClient({
  invoke(channel, payload) {
    // createApiClient only passes contract channels; checked again so nothing else reaches ipcRenderer.
    if (!isInvokeChannelName(channel)) return Promise.reject(new Error('unknown channel'));
    return ipcRenderer.invoke(channel, payload) as Promise<unknown>;
  },
  subscribe(channel, listener) {
    if (!isEventChannelName(channel)) throw new TypeError('unknown event channel');
    // The IpcRendererEvent (with its sender) never reaches the page: only the payload does.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
});

contextBridge.exposeInMainWorld(API_GLOBAL_NAME, Object.freeze(api));
