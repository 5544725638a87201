// Sandboxed preload: exposes one frozen `window.airlock` carrier for the IPC contract. No schema
// code lives here: main validates every request, and the renderer builds the typed Api on top.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  API_GLOBAL_NAME,
  isContractShapedChannelName,
  type PreloadBridge,
} from '../../shared/ipc/preload-bridge';

const bridge: PreloadBridge = {
  invoke(channel, payload) {
    if (!isContractShapedChannelName(channel)) {
      return Promise.reject(new TypeError('unknown channel'));
    }
    return ipcRenderer.invoke(channel, payload) as Promise<unknown>;
  },
  subscribe(channel, listener) {
    if (!isContractShapedChannelName(channel)) throw new TypeError('unknown event channel');
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // The IpcRendererEvent (with its sender) never reaches the page: only the payload does.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
};

contextBridge.exposeInMainWorld(API_GLOBAL_NAME, Object.freeze(bridge));
