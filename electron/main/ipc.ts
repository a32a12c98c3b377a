import { ipcMain, type BrowserWindow } from 'electron';
import type { Handlers } from '../services/handlers';
import { answerInvoke } from '../services/ipc-answer';
import type { RunManager } from '../services/run-manager';
import type { SweepManager } from '../services/sweep-manager';
import { INVOKE_CHANNELS, type EventChannel, type EventChannels } from '../shared/ipc-contract';

/**
 * The one place main answers the renderer. A call is dispatched only when it comes from the app's own page in the
 * top frame; its argument is then validated by the handler before anything happens, and a refusal is worded for the
 * user in main (answerInvoke).
 */
export function registerIpc(handlers: Handlers, isAppUrl: (url: string) => boolean): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, arg: unknown) => {
      const frame = event.senderFrame;
      const fromOwnPage = !!frame && frame.parent === null && isAppUrl(frame.url);
      return answerInvoke<unknown>(fromOwnPage, () => handlers[channel](arg));
    });
  }
}

/** Pushes an event to the window's page, if the window is still there. */
export function sendToWindow<C extends EventChannel>(
  window: BrowserWindow | null,
  channel: C,
  payload?: EventChannels[C],
): void {
  if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
}

/** Training events go to the window as they happen; returns the unsubscribe function. */
export function forwardRunEvents(runs: RunManager, getWindow: () => BrowserWindow | null): () => void {
  return runs.subscribe((event) => sendToWindow(getWindow(), 'training:event', event));
}

/** Sweep events go to the window as they happen; returns the unsubscribe function. */
export function forwardSweepEvents(sweeps: SweepManager, getWindow: () => BrowserWindow | null): () => void {
  return sweeps.subscribe((event) => sendToWindow(getWindow(), 'sweep:event', event));
}
