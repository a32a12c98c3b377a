/**
 * The Electron glue without the Electron binary: 'electron' is replaced by recording fakes, so what the preload
 * exposes, what IPC dispatches and which security rules are installed are checked here. The types are checked
 * against electron.d.ts by `tsc -p tsconfig.node.json`.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (channel: string, arg: unknown) => ({ channel, arg })),
  rendererListeners: new Map<string, ((event: unknown, payload: unknown) => void)[]>(),
  handlers: new Map<string, (event: unknown, arg: unknown) => unknown>(),
  appListeners: new Map<string, ((...args: unknown[]) => void)[]>(),
  session: {
    permissionRequest: undefined as
      undefined | ((wc: unknown, permission: string, callback: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    headers: undefined as undefined | ((details: unknown, callback: (response: unknown) => void) => void),
  },
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
  ipcRenderer: {
    invoke: fake.invoke,
    on: (channel: string, l: (event: unknown, payload: unknown) => void) => {
      fake.rendererListeners.set(channel, [...(fake.rendererListeners.get(channel) ?? []), l]);
    },
    removeListener: (channel: string, l: unknown) => {
      fake.rendererListeners.set(
        channel,
        (fake.rendererListeners.get(channel) ?? []).filter((x) => x !== l),
      );
    },
  },
  ipcMain: { handle: (channel: string, h: (event: unknown, arg: unknown) => unknown) => fake.handlers.set(channel, h) },
  app: {
    on: (name: string, l: (...args: unknown[]) => void) =>
      fake.appListeners.set(name, [...(fake.appListeners.get(name) ?? []), l]),
    whenReady: () => Promise.resolve(),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: typeof fake.session.permissionRequest) => (fake.session.permissionRequest = h),
      setPermissionCheckHandler: (h: typeof fake.session.permissionCheck) => (fake.session.permissionCheck = h),
      webRequest: { onHeadersReceived: (h: typeof fake.session.headers) => (fake.session.headers = h) },
    },
  },
  Menu: { buildFromTemplate: (template: unknown) => template },
}));

beforeEach(() => {
  fake.invoke.mockClear();
});

describe('preload', () => {
  it('exposes one object, window.athanor, whose calls go through invoke and whose events carry no Electron event', async () => {
    await import('../../electron/preload/index');
    expect([...fake.exposed.keys()]).toEqual(['athanor']);
    const api = fake.exposed.get('athanor') as import('../../electron/shared/api').Api;
    expect(await api.cancelTraining({ id: 'x' })).toEqual({ channel: 'training:cancel', arg: { id: 'x' } });

    const got: unknown[] = [];
    const off = api.onTrainingEvent((payload) => got.push(payload));
    const sender = { send: () => undefined };
    for (const l of fake.rendererListeners.get('training:event')!) l({ sender }, { kind: 'queued' });
    expect(got).toEqual([{ kind: 'queued' }]);
    off();
    expect(fake.rendererListeners.get('training:event')).toEqual([]);
  });

  it('has no way to reach a channel outside the contract', async () => {
    await import('../../electron/preload/index');
    const api = fake.exposed.get('athanor') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([
      'appInfo',
      'cancelSweep',
      'cancelTraining',
      'chooseDataset',
      'compare',
      'deleteRun',
      'exportHistoryCsv',
      'exportReport',
      'exportWeights',
      'getDevices',
      'getQueue',
      'language',
      'listHistory',
      'listSweeps',
      'onLanguage',
      'onMenuAbout',
      'onMenuExportWeights',
      'onSweepEvent',
      'onTrainingEvent',
      'predict',
      'runAgreement',
      'startSweep',
      'startTraining',
      'testImages',
    ]);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });
});

describe('ipc registration', () => {
  it("dispatches only calls from the app's own page in the top frame", async () => {
    const { registerIpc } = await import('../../electron/main/ipc');
    const { INVOKE_CHANNELS } = await import('../../electron/shared/ipc-contract');
    const queue = vi.fn(async () => ({ running: null, queued: [] }));
    registerIpc({ 'training:queue': queue } as never, (url) => url === 'file:///app/index.html');
    expect([...fake.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const call = (frame: unknown) => fake.handlers.get('training:queue')!({ senderFrame: frame }, undefined);

    await expect(call({ url: 'file:///app/index.html', parent: null })).resolves.toEqual({ running: null, queued: [] });
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///app/index.html', parent: {} },
      null,
    ]) {
      await expect(call(frame)).rejects.toThrow(
        new Error("Athanor refused the request: it did not come from Athanor's own page"),
      );
    }
    expect(queue).toHaveBeenCalledTimes(1);
  });
});

describe('security rules', () => {
  it('every new web contents denies new windows, foreign navigation, redirects and webviews', async () => {
    const { applySecurity } = await import('../../electron/main/security');
    applySecurity((url) => url.startsWith('file:///app/'), { csp: true });
    const events = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
    let openHandler: (() => unknown) | undefined;
    const contents = {
      setWindowOpenHandler: (h: () => unknown) => (openHandler = h),
      on: (name: string, l: (event: { url?: string; preventDefault(): void }) => void) => events.set(name, l),
    };
    for (const l of fake.appListeners.get('web-contents-created')!) l({}, contents);
    expect(openHandler?.()).toEqual({ action: 'deny' });
    const attempt = (name: string, url?: string) => {
      const event = { url, preventDefault: vi.fn() };
      events.get(name)!(event);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(attempt('will-navigate', 'file:///app/index.html#x')).toBe(false);
    expect(attempt('will-redirect', 'https://example.com/')).toBe(true);
    expect(attempt('will-attach-webview')).toBe(true);
  });

  it('the session refuses every permission and sends the Content-Security-Policy header', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../../electron/main/app-url');
    await vi.waitFor(() => expect(fake.session.headers).toBeDefined());
    const granted = vi.fn();
    fake.session.permissionRequest!({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(fake.session.permissionCheck!()).toBe(false);
    const response = vi.fn();
    fake.session.headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, response);
    expect(response).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
});

describe('menu', () => {
  type Item = {
    label?: string;
    role?: string;
    type?: string;
    checked?: boolean;
    accelerator?: string;
    click?: () => void;
    submenu?: Item[];
  };
  const language = { language: 'en', chosen: null, system: 'en' } as const;

  it('File has Export Weights (CmdOrCtrl+E), Export History as CSV and Quit; Help has About', async () => {
    const { buildMenu } = await import('../../electron/main/menu');
    const actions = { exportWeights: vi.fn(), exportHistoryCsv: vi.fn(), about: vi.fn(), chooseLanguage: vi.fn() };
    const menu = buildMenu(actions, { mac: false, dev: false, language }) as unknown as Item[];
    const file = menu.find((m) => m.label === '&File')!.submenu!;
    expect(file.map((i) => i.label ?? i.role ?? 'separator')).toEqual([
      'Export Weights…',
      'Export History as CSV…',
      'separator',
      'Quit',
    ]);
    expect(file[3].role).toBe('quit');
    expect(file[0].accelerator).toBe('CmdOrCtrl+E');
    file[0].click!();
    file[1].click!();
    menu.find((m) => m.role === 'help')!.submenu![0].click!();
    expect([actions.exportWeights, actions.exportHistoryCsv, actions.about].map((f) => f.mock.calls.length)).toEqual([
      1, 1, 1,
    ]);
    expect(menu.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    expect(menu.find((m) => m.label === '&Edit')!.submenu!.map((i) => i.role ?? 'separator')).toEqual([
      'undo',
      'redo',
      'separator',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    const view = menu.find((m) => m.label === '&View')!.submenu!.map((i) => i.role);
    expect(view).not.toContain('toggleDevTools');
    const mac = buildMenu(actions, { mac: true, dev: true, language }) as unknown as Item[];
    expect(mac[0].role).toBe('appMenu');
    expect(mac.find((m) => m.label === '&View')!.submenu!.map((i) => i.role)).toContain('toggleDevTools');
  });

  it('View > Language offers the system language and each language named in itself, the one in use checked', async () => {
    const { buildMenu } = await import('../../electron/main/menu');
    const actions = { exportWeights: vi.fn(), exportHistoryCsv: vi.fn(), about: vi.fn(), chooseLanguage: vi.fn() };
    const languageMenu = (menu: Item[], view: string, label: string) =>
      menu.find((m) => m.label === view)!.submenu!.find((i) => i.label === label)!.submenu!;
    const items = languageMenu(
      buildMenu(actions, {
        mac: false,
        dev: false,
        language: { language: 'zh-CN', chosen: null, system: 'zh-CN' },
      }) as unknown as Item[],
      '&View',
      'Language',
    );
    expect(items.map((i) => [i.label, i.type, i.checked])).toEqual([
      ['Follow the System (简体中文)', 'radio', true],
      ['English', 'radio', false],
      ['简体中文', 'radio', false],
    ]);
    items[2].click!();
    items[0].click!();
    expect(actions.chooseLanguage.mock.calls).toEqual([['zh-CN'], [null]]);
  });

  it('speaks Chinese when the language is zh-CN: menus, roles and the About item', async () => {
    const { buildMenu } = await import('../../electron/main/menu');
    const { setLanguage } = await import('../../electron/shared/i18n');
    const actions = { exportWeights: vi.fn(), exportHistoryCsv: vi.fn(), about: vi.fn(), chooseLanguage: vi.fn() };
    setLanguage('zh-CN');
    try {
      const state = { language: 'zh-CN', chosen: 'zh-CN', system: 'en' } as const;
      const menu = buildMenu(actions, { mac: false, dev: false, language: state }) as unknown as Item[];
      expect(menu.map((m) => m.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '窗口(&W)', '帮助(&H)']);
      expect(menu[0].submenu!.map((i) => i.label ?? 'separator')).toEqual([
        '导出权重…',
        '将历史记录导出为 CSV…',
        'separator',
        '退出',
      ]);
      const languages = menu[2].submenu!.find((i) => i.label === '语言')!.submenu!;
      expect(languages.map((i) => [i.label, i.checked])).toEqual([
        ['跟随系统（English）', false],
        ['English', false],
        ['简体中文', true],
      ]);
      expect(menu[4].submenu![0].label).toBe('关于 Athanor');
    } finally {
      setLanguage('en');
    }
  });
});
