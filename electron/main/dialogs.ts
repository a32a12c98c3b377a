import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Dialogs } from '../services/handlers';
import { t } from '../shared/i18n';
import { CODE_NAMES } from '../shared/i18n/code-names';

/** The native save and folder dialogs, attached to the window so they are modal to it. */
export function createDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  return {
    async saveFile({ title, defaultName, filters }) {
      const options = {
        title,
        defaultPath: join(app.getPath('documents'), defaultName),
        filters,
        properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
      };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder() {
      const options = {
        title: t('history.save.dataFolder', CODE_NAMES),
        properties: ['openDirectory' as const],
      };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
