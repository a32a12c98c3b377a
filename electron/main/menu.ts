import { Menu, type MenuItemConstructorOptions } from 'electron';
import { LANGUAGES, LANGUAGE_NAMES, t, type Language } from '../shared/i18n';
import type { LanguageState } from '../services/preferences';

export interface MenuActions {
  /** Asks the renderer to export the selected run's weights (it knows the selection). */
  exportWeights(): void;
  exportHistoryCsv(): void;
  about(): void;
  /** A language the user chose, or null to follow the system's. */
  chooseLanguage(language: Language | null): void;
}

/**
 * The native menu in the current language (build it again after a switch): File and Help carry the app's own
 * commands, Edit/View/Window Electron's roles with labels of ours (Electron words roles in English outside macOS),
 * View the Language choice, each language named in itself.
 */
export function buildMenu(
  actions: MenuActions,
  options: { mac: boolean; dev: boolean; language: LanguageState },
): Menu {
  const { chosen, system } = options.language;
  const languageItems: MenuItemConstructorOptions[] = [
    {
      label: t('menu.followSystem', { language: LANGUAGE_NAMES[system] }),
      type: 'radio',
      checked: chosen === null,
      click: () => actions.chooseLanguage(null),
    },
    ...LANGUAGES.map((language): MenuItemConstructorOptions => ({
      label: LANGUAGE_NAMES[language],
      type: 'radio',
      checked: chosen === language,
      click: () => actions.chooseLanguage(language),
    })),
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(options.mac ? [{ role: 'appMenu' } as const] : []),
    {
      label: t('menu.file'),
      submenu: [
        { label: t('menu.exportWeights'), accelerator: 'CmdOrCtrl+E', click: () => actions.exportWeights() },
        {
          label: t('menu.exportHistoryCsv'),
          accelerator: 'CmdOrCtrl+Shift+E',
          click: () => actions.exportHistoryCsv(),
        },
        { type: 'separator' },
        options.mac ? { role: 'close', label: t('menu.close') } : { role: 'quit', label: t('menu.quit') },
      ],
    },
    {
      label: t('menu.edit'),
      submenu: [
        { role: 'undo', label: t('menu.undo') },
        { role: 'redo', label: t('menu.redo') },
        { type: 'separator' },
        { role: 'cut', label: t('menu.cut') },
        { role: 'copy', label: t('menu.copy') },
        { role: 'paste', label: t('menu.paste') },
        { role: 'selectAll', label: t('menu.selectAll') },
      ],
    },
    {
      label: t('menu.view'),
      submenu: [
        // Reloading and developer tools are for development: in a build, a reload would only drop live charts.
        ...(options.dev
          ? ([
              { role: 'reload', label: t('menu.reload') },
              { role: 'toggleDevTools', label: t('menu.toggleDevTools') },
              { type: 'separator' },
            ] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom', label: t('menu.resetZoom') },
        { role: 'zoomIn', label: t('menu.zoomIn') },
        { role: 'zoomOut', label: t('menu.zoomOut') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t('menu.toggleFullScreen') },
        { type: 'separator' },
        { label: t('menu.language'), submenu: languageItems },
      ],
    },
    {
      label: t('menu.window'),
      role: 'window',
      submenu: [
        { role: 'minimize', label: t('menu.minimize') },
        { role: 'close', label: t('menu.close') },
      ],
    },
    { label: t('menu.help'), role: 'help', submenu: [{ label: t('menu.about'), click: () => actions.about() }] },
  ];
  return Menu.buildFromTemplate(template);
}
