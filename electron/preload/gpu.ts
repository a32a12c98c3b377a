/**
 * The GPU page's one bridge: send a protocol message to main, hear main's. No raw ipcRenderer, no event objects.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { GPU_PAGE_CHANNELS } from '../shared/gpu-page';

contextBridge.exposeInMainWorld('athanorGpu', {
  send: (message: unknown) => ipcRenderer.send(GPU_PAGE_CHANNELS.fromPage, message),
  onMessage: (listener: (message: unknown) => void) => {
    ipcRenderer.on(GPU_PAGE_CHANNELS.toPage, (_event: IpcRendererEvent, message: unknown) => listener(message));
  },
});
