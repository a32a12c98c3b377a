/**
 * Athanor's main process: a short chain of small modules. Everything with logic in it is plain Node under
 * electron/services and electron/training; the modules here only connect it to Electron.
 */
import { app, dialog, Menu, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkResources, windowIcon, type AppContext } from '../app-paths';
import { createAppUrlCheck } from './app-url';
import { forwardRunEvents, forwardSweepEvents, registerIpc, sendToWindow } from './ipc';
import { buildMenu, type MenuActions } from './menu';
import { setLanguage, t, type Language } from '../shared/i18n';
import { Preferences } from '../services/preferences';
import { applySecurity } from './security';
import { webGpuSwitches } from '../services/gpu-switches';
import { createServices } from './services';
import { createWindow } from './window';

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const indexHtml = join(__dirname, '../renderer/index.html');
const gpuHtml = join(__dirname, '../renderer/gpu.html');
// Before ready, or Chromium ignores them: what WebGPU needs on Linux (see gpu-switches.ts).
const gpuSwitches = webGpuSwitches(process.platform, process.env);
for (const [name, value] of gpuSwitches.switches) app.commandLine.appendSwitch(name, value);
const isAppUrl = createAppUrlCheck({ devServerUrl, indexHtml });
let window: BrowserWindow | null = null;

// One instance: a second launch focuses the first instead of racing it for the history file.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  applySecurity(isAppUrl, { csp: !devServerUrl });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fail(t('menu.cannotStart'), err));
  // One window is the whole app, on macOS too: with it closed there is nothing left to show or train for.
  app.on('window-all-closed', () => app.quit());
}

async function start(): Promise<void> {
  // The language first: every word main shows from here on (menus, dialogs, boxes) is in it.
  const preferences = await Preferences.open(app.getPath('userData'), app.getPreferredSystemLanguages());
  setLanguage(preferences.language().language);
  const ctx: AppContext = { packaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot: app.getAppPath() };
  const missing = checkResources(ctx, existsSync);
  if (missing.length > 0) {
    return fail(t('menu.filesMissing'), new Error(missing.map((m) => `${m.what}: ${m.path}`).join('\n')));
  }
  const { handlers, runs, sweeps } = await createServices(
    ctx,
    () => window,
    {
      preload: join(__dirname, '../preload/gpu.js'),
      load: (w) => (devServerUrl ? w.loadURL(new URL('gpu.html', devServerUrl).href) : w.loadFile(gpuHtml)),
      linuxNote: gpuSwitches.note,
    },
    () => preferences.language(),
  );
  registerIpc(handlers, isAppUrl);
  forwardRunEvents(runs, () => window);
  forwardSweepEvents(sweeps, () => window);
  // A run still going when the app quits is killed; its row reads "the app closed before this run finished".
  // A sweep going then is not kept.
  app.on('will-quit', () => {
    runs.dispose();
    sweeps.dispose();
  });

  window = createWindow({
    preload: join(__dirname, '../preload/index.js'),
    icon: windowIcon(ctx),
    load: (w) => (devServerUrl ? w.loadURL(devServerUrl) : w.loadFile(indexHtml)),
  });
  window.on('closed', () => (window = null));
  const actions: MenuActions = {
    exportWeights: () => sendToWindow(window, 'menu:export-weights'),
    exportHistoryCsv: () => {
      handlers['history:export-csv'](undefined).then(
        (result) => {
          if (result.saved)
            void dialog.showMessageBox({ type: 'info', message: t('menu.historyExported', { path: result.path }) });
        },
        (err: unknown) => fail(t('menu.historyNotExported'), err, false),
      );
    },
    about: () => sendToWindow(window, 'menu:about'),
    chooseLanguage: (language) => void chooseLanguage(language),
  };
  const setMenu = () =>
    Menu.setApplicationMenu(
      buildMenu(actions, {
        mac: process.platform === 'darwin',
        dev: !app.isPackaged,
        language: preferences.language(),
      }),
    );
  /** Speaks the choice and keeps it; one that cannot be kept still holds until the app closes, and says so. */
  async function chooseLanguage(language: Language | null): Promise<void> {
    let unsaved: unknown = null;
    await preferences.chooseLanguage(language).catch((err: unknown) => (unsaved = err));
    const state = preferences.language();
    setLanguage(state.language);
    sendToWindow(window, 'app:language', state);
    setMenu();
    if (unsaved) fail(t('menu.languageNotSaved'), unsaved, false);
  }
  setMenu();
}

function fail(title: string, err: unknown, quit = true): void {
  dialog.showErrorBox(title, err instanceof Error ? err.message : String(err));
  if (quit) app.quit();
}
