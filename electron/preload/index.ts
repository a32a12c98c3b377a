/**
 * The renderer's whole reach into the app: one object, `window.athanor`, built by the shared createApi over
 * ipcRenderer. No raw ipcRenderer, no Electron event objects, and only the contract's channels cross the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, UNKNOWN_REQUEST, type Transport } from '../shared/api';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../shared/ipc-contract';

const transport: Transport = {
  invoke(channel, arg) {
    if (!INVOKE_CHANNELS.includes(channel)) return Promise.reject(new Error(UNKNOWN_REQUEST));
    return ipcRenderer.invoke(channel, arg);
  },
  on(channel, listener) {
    if (!EVENT_CHANNELS.includes(channel)) throw new Error(UNKNOWN_REQUEST);
    // The page gets the payload only: the event object would hand it `sender`, a door to ipcRenderer.
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('athanor', createApi(transport));
