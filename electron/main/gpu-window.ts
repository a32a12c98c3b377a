import { BrowserWindow, ipcMain, type IpcMainEvent } from 'electron';
import { GPU_PAGE_CHANNELS } from '../shared/gpu-page';
import type { ParentMessage } from '../training/process/protocol';
import type { ExitInfo, WorkerTransport } from '../training/process/worker-transport';
import { hardenedWebPreferences } from './window';

export interface GpuWindowOptions {
  preload: string;
  /** Loads out/renderer/gpu.html (or the dev server's). */
  load(window: BrowserWindow): Promise<void>;
  /** How long a page may stay unresponsive before the run fails. */
  unresponsiveMs?: number;
}

/**
 * One GPU run (or probe) in a hidden window main owns: WebGPU and WebGL need Chromium's GPU process, which a utility
 * process lacks. The window is closed when the run ends; a crash or hang ends the run with the reason.
 */
export function openGpuWindow({ preload, load, unresponsiveMs = 30_000 }: GpuWindowOptions): WorkerTransport {
  const window = new BrowserWindow({
    show: false,
    width: 320,
    height: 240,
    title: 'Athanor GPU',
    webPreferences: {
      ...hardenedWebPreferences(preload),
      // A hidden window's timers and frames are throttled by default: training would crawl (electron#31016).
      backgroundThrottling: false,
    },
  });
  const contents = window.webContents;
  const messageListeners: ((message: unknown) => void)[] = [];
  const exitListeners: ((info: ExitInfo) => void)[] = [];
  let loaded = false;
  let ended = false;
  const outbox: ParentMessage[] = [];
  let hang: NodeJS.Timeout | undefined;

  const fromPage = (event: IpcMainEvent, message: unknown) => {
    // Only this window's page speaks on this run's behalf. Its message is checked by the run (startRun); a listener
    // that throws anyway must not throw in main's IPC dispatch.
    if (event.sender !== contents) return;
    for (const listener of messageListeners) {
      try {
        listener(message);
      } catch (err) {
        console.error('a GPU page message could not be handled:', err);
      }
    }
  };
  ipcMain.on(GPU_PAGE_CHANNELS.fromPage, fromPage);

  const end = (info: ExitInfo) => {
    if (ended) return;
    ended = true;
    clearTimeout(hang);
    ipcMain.removeListener(GPU_PAGE_CHANNELS.fromPage, fromPage);
    exitListeners.forEach((l) => l(info));
    if (!window.isDestroyed()) window.destroy();
  };
  contents.on('render-process-gone', (_event, details) =>
    end({
      code: details.exitCode,
      signal: null,
      reason: { code: 'page-crashed', why: details.reason, exitCode: details.exitCode },
    }),
  );
  window.on('unresponsive', () => {
    hang = setTimeout(
      () => end({ code: null, signal: null, reason: { code: 'page-hung', seconds: unresponsiveMs / 1000 } }),
      unresponsiveMs,
    );
  });
  window.on('responsive', () => clearTimeout(hang));
  window.on('closed', () => end({ code: 0, signal: null, reason: { code: 'page-closed' } }));
  contents.on('did-fail-load', (_event, code, description) =>
    end({ code, signal: null, reason: { code: 'page-load-failed', detail: description } }),
  );

  load(window).then(
    () => {
      loaded = true;
      for (const message of outbox.splice(0)) contents.send(GPU_PAGE_CHANNELS.toPage, message);
    },
    (err: unknown) =>
      end({ code: null, signal: null, reason: { code: 'page-load-failed', detail: (err as Error).message } }),
  );

  return {
    peer: 'page',
    send: (message) => {
      if (ended) return;
      if (loaded) contents.send(GPU_PAGE_CHANNELS.toPage, message);
      else outbox.push(message);
    },
    onMessage: (listener) => messageListeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => end({ code: 0, signal: null, reason: { code: 'page-closed' } }),
  };
}
