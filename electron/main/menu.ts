import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** Asks the renderer to export the selected run's weights (it knows the selection). */
  exportWeights(): void;
  exportHistoryCsv(): void;
  about(): void;
}

/** The native menu: File and Help carry the app's own commands, Edit/View/Window are Electron's standard roles. */
export function buildMenu(actions: MenuActions, options: { mac: boolean; dev: boolean }): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(options.mac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Export Weights…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportWeights() },
        { label: 'Export History as CSV…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportHistoryCsv() },
        { type: 'separator' },
        options.mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        // Reloading and developer tools are for development: in a build, a reload would only drop live charts.
        ...(options.dev
          ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Athanor', click: () => actions.about() }] },
  ];
  return Menu.buildFromTemplate(template);
}
