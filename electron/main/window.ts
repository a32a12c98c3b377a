import { BrowserWindow, type WebPreferences } from 'electron';

export interface WindowOptions {
  preload: string;
  icon?: string;
  /** Loads the app's page: the dev server in development, out/renderer/index.html in a build. */
  load(window: BrowserWindow): Promise<void>;
}

/**
 * The preferences every window of the app gets (the app's window and each GPU page), spelled out, so a default
 * changing in Electron changes nothing here.
 */
export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    // The page and the preload live in separate JavaScript worlds: the page sees only the bridged API.
    contextIsolation: true,
    // The renderer is a Chromium sandboxed process: no Node, no direct file or process access even if compromised.
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    // Same-origin policy stays on; nothing insecure is mixed in.
    webSecurity: true,
    allowRunningInsecureContent: false,
    // No <webview>: it could host arbitrary content with its own preferences.
    webviewTag: false,
    // Dropping a file on the window must not navigate it away from the app.
    navigateOnDragDrop: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/** The app's one visible window. */
export function createWindow({ preload, icon, load }: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Athanor',
    icon,
    // Shown once painted: no white flash, no half-drawn layout.
    show: false,
    backgroundColor: '#101418',
    webPreferences: hardenedWebPreferences(preload),
  });
  window.once('ready-to-show', () => window.show());
  load(window).catch((err: unknown) => console.error(`the app's page did not load: ${(err as Error).message}`));
  return window;
}
