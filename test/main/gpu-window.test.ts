/**
 * The GPU page's Electron glue with recording fakes of 'electron' (no Electron binary runs here): the hidden
 * window's preferences, the message path both ways, and every way a page can end a run.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REFERENCE_CONFIG } from '../../electron/training/core/config';
import type { ExitInfo } from '../../electron/training/process/worker-transport';
import { describeReason } from '../../electron/shared/describe-reason';

const fake = vi.hoisted(() => ({
  windows: [] as unknown[],
  mainListeners: new Map<string, ((event: unknown, message: unknown) => void)[]>(),
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, ((event: unknown, message: unknown) => void)[]>(),
  sent: [] as { channel: string; message: unknown }[],
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class FakeContents extends Emitter {
    sent: { channel: string; message: unknown }[] = [];
    send(channel: string, message: unknown) {
      this.sent.push({ channel, message });
    }
  }
  class BrowserWindow extends Emitter {
    webContents = new FakeContents();
    destroyed = false;
    constructor(readonly options: unknown) {
      super();
      fake.windows.push(this);
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  return {
    BrowserWindow,
    ipcMain: {
      on: (channel: string, l: (event: unknown, message: unknown) => void) =>
        fake.mainListeners.set(channel, [...(fake.mainListeners.get(channel) ?? []), l]),
      removeListener: (channel: string, l: unknown) =>
        fake.mainListeners.set(
          channel,
          (fake.mainListeners.get(channel) ?? []).filter((x) => x !== l),
        ),
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
    ipcRenderer: {
      send: (channel: string, message: unknown) => fake.sent.push({ channel, message }),
      on: (channel: string, l: (event: unknown, message: unknown) => void) =>
        fake.rendererListeners.set(channel, [...(fake.rendererListeners.get(channel) ?? []), l]),
    },
  };
});

type FakeWindow = EventEmitter & {
  options: { show: boolean; webPreferences: Record<string, unknown> };
  webContents: EventEmitter & { sent: { channel: string; message: unknown }[] };
  destroyed: boolean;
};

afterEach(() => {
  fake.windows.length = 0;
  fake.mainListeners.clear();
  vi.useRealTimers();
});

async function open(load: () => Promise<void> = async () => undefined) {
  const { openGpuWindow } = await import('../../electron/main/gpu-window');
  const transport = openGpuWindow({ preload: '/app/out/preload/gpu.js', load, unresponsiveMs: 1000 });
  const window = fake.windows.at(-1) as FakeWindow;
  const messages: unknown[] = [];
  const exits: ExitInfo[] = [];
  transport.onMessage((m) => messages.push(m));
  transport.onExit((e) => exits.push(e));
  const fromPage = (sender: unknown, message: unknown) =>
    (fake.mainListeners.get('gpu-page:message') ?? []).forEach((l) => l({ sender }, message));
  return { transport, window, messages, exits, fromPage };
}

describe('the GPU window', () => {
  it('is hidden, sandboxed, isolated, without Node, and not throttled in the background', async () => {
    const { window } = await open();
    expect(window.options.show).toBe(false);
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/gpu.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      backgroundThrottling: false,
    });
  });

  it('holds messages until the page has loaded, then sends them in order', async () => {
    let loaded!: () => void;
    const { transport, window } = await open(() => new Promise<void>((resolve) => (loaded = resolve)));
    transport.send({ type: 'probe', device: 'gpu' });
    transport.send({ type: 'cancel' });
    expect(window.webContents.sent).toEqual([]);
    loaded();
    await new Promise((r) => setImmediate(r));
    expect(window.webContents.sent.map((s) => [s.channel, (s.message as { type: string }).type])).toEqual([
      ['gpu-page:command', 'probe'],
      ['gpu-page:command', 'cancel'],
    ]);
  });

  it('hears its own page only', async () => {
    const { window, messages, fromPage } = await open();
    fromPage({ other: true }, { type: 'progress' });
    fromPage(window.webContents, { type: 'error', message: 'x' });
    expect(messages).toEqual([{ type: 'error', message: 'x' }]);
  });

  it('a crashed page ends the run with the reason and frees the window and its listener', async () => {
    const { window, exits } = await open();
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(exits).toEqual([
      { code: 139, signal: null, reason: { code: 'page-crashed', why: 'crashed', exitCode: 139 } },
    ]);
    expect(describeReason(exits[0].reason!)).toBe("the GPU page's process ended (crashed, exit code 139)");
    expect(window.destroyed).toBe(true);
    expect(fake.mainListeners.get('gpu-page:message')).toEqual([]);
    window.emit('closed');
    expect(exits).toHaveLength(1);
  });

  it('a page that stays unresponsive ends the run; one that recovers does not', async () => {
    vi.useFakeTimers();
    const { window, exits } = await open();
    window.emit('unresponsive');
    vi.advanceTimersByTime(500);
    window.emit('responsive');
    vi.advanceTimersByTime(1000);
    expect(exits).toEqual([]);
    window.emit('unresponsive');
    vi.advanceTimersByTime(1000);
    expect(exits).toEqual([{ code: null, signal: null, reason: { code: 'page-hung', seconds: 1 } }]);
    expect(describeReason(exits[0].reason!)).toBe('the GPU page stopped responding for 1 s');
  });

  it('a page that does not load ends the run with the reason; kill closes the window', async () => {
    const failed = await open(() => Promise.reject(new Error('ERR_FILE_NOT_FOUND')));
    await new Promise((r) => setImmediate(r));
    expect(failed.exits[0].reason).toEqual({ code: 'page-load-failed', detail: 'ERR_FILE_NOT_FOUND' });
    expect(describeReason(failed.exits[0].reason!)).toBe('the GPU page did not load: ERR_FILE_NOT_FOUND');
    const killed = await open();
    killed.transport.kill();
    expect(killed.window.destroyed).toBe(true);
    killed.transport.send({ type: 'cancel' });
    expect(killed.window.webContents.sent).toEqual([]);
  });
});

describe("a bad page message in main's IPC listener", () => {
  const config = {
    ...REFERENCE_CONFIG,
    device: 'gpu' as const,
    epochs: 1,
    batchSize: 64,
    lr: 0.01,
    momentum: 0.9,
    seed: 1,
    limit: 100,
  };

  it.each([
    [{ type: 'done', result: null }, 'a "done" message: result must be an object, got null'],
    [{ type: 'ready', timings: { engineStartMs: 1 } }, 'a "ready" message: engine must be an object, got undefined'],
    [{ type: 'progress' }, 'a "progress" message: progress must be an object, got undefined'],
    [{ type: '__proto__' }, 'a message: its type "__proto__" is not one of'],
  ])('%j never throws there: it ends the run with the reason and closes the window', async (message, reason) => {
    const { startRun } = await import('../../electron/training/process/run-worker');
    const { transport, window, fromPage } = await open();
    const run = startRun(() => transport, config);
    expect(() => fromPage(window.webContents, message)).not.toThrow();
    await expect(run.outcome).rejects.toThrow(`the GPU page sent a message Athanor cannot use (${reason}`);
    expect(window.destroyed).toBe(true);
    expect(fake.mainListeners.get('gpu-page:message')).toEqual([]);
  });

  it('a listener that throws on a message is contained: the IPC listener does not throw', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { transport, window, fromPage, messages } = await open();
    transport.onMessage(() => {
      throw new Error('listener bug');
    });
    expect(() => fromPage(window.webContents, { type: 'cancel' })).not.toThrow();
    expect(messages).toEqual([{ type: 'cancel' }]);
    expect(errors).toHaveBeenCalledWith(
      'a GPU page message could not be handled:',
      expect.objectContaining({ message: 'listener bug' }),
    );
    errors.mockRestore();
  });
});

describe('the GPU page preload', () => {
  it('exposes window.athanorGpu: send to main, hear main, never an Electron event', async () => {
    await import('../../electron/preload/gpu');
    const bridge = fake.exposed.get('athanorGpu') as {
      send(m: unknown): void;
      onMessage(l: (m: unknown) => void): void;
    };
    bridge.send({ type: 'ready' });
    expect(fake.sent).toEqual([{ channel: 'gpu-page:message', message: { type: 'ready' } }]);
    const heard: unknown[] = [];
    bridge.onMessage((m) => heard.push(m));
    (fake.rendererListeners.get('gpu-page:command') ?? []).forEach((l) => l({ sender: 'secret' }, { type: 'cancel' }));
    expect(heard).toEqual([{ type: 'cancel' }]);
  });
});
