/**
 * The GPU page in Chromium, standing in for the hidden window main opens in the app (no Electron binary runs
 * here): the built gpu.html, its `window.athanorGpu` port bridged to this process, wrapped as a WorkerTransport
 * exactly as main wraps its window. Typed arrays cross as base64, since Playwright carries JSON.
 */
import type { Browser, Page } from 'playwright-core';
import type { ParentMessage } from '../../../electron/training/process/protocol';
import type { ExitInfo, WorkerTransport } from '../../../electron/training/process/worker-transport';

type Encoded = unknown;
const TYPED = { Float32Array, Int32Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;

function encode(value: unknown): Encoded {
  if (ArrayBuffer.isView(value)) {
    const name = (value instanceof Uint8Array ? 'Uint8Array' : value.constructor.name) as TypedName; // a Buffer too
    if (!(name in TYPED)) throw new Error(`cannot send a ${name} to the page`);
    return { __typed: name, base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const v = value as { __typed?: TypedName; base64?: string };
    if (v.__typed && typeof v.base64 === 'string') {
      const bytes = Buffer.from(v.base64, 'base64');
      const copy = new Uint8Array(bytes).buffer; // aligned, owned
      return new TYPED[v.__typed](copy);
    }
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, decode(x)]));
  }
  return value;
}

/** The same codec inside the page (no Buffer there). */
const PAGE_SCRIPT = `(() => {
  const TYPED = { Float32Array, Int32Array, Uint8Array };
  const toB64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); };
  const encode = (v) => ArrayBuffer.isView(v) ? { __typed: v.constructor.name, base64: toB64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) }
    : Array.isArray(v) ? v.map(encode) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)])) : v;
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (v.__typed && typeof v.base64 === 'string') { const s = atob(v.base64); const u8 = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i); return new TYPED[v.__typed](u8.buffer); }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
    }
    return v;
  };
  const listeners = [];
  globalThis.__athanorGpuDeliver = (m) => listeners.forEach((l) => l(decode(m)));
  globalThis.athanorGpu = { send: (m) => globalThis.__athanorGpuSend(encode(m)), onMessage: (l) => listeners.push(l) };
})();`;

export interface GpuPageTransport extends WorkerTransport {
  page: Page;
  /** Crashes the page's renderer process, as a GPU driver fault would. */
  crash(): Promise<void>;
}

/** Opens `<baseUrl>gpu.html` in a new page of `browser` and returns it as a run's transport. */
export async function openGpuPage(browser: Browser, baseUrl: string): Promise<GpuPageTransport> {
  const page = await browser.newPage();
  const messageListeners: ((m: unknown) => void)[] = [];
  const exitListeners: ((info: ExitInfo) => void)[] = [];
  let ended = false;
  const end = (info: ExitInfo) => {
    if (ended) return;
    ended = true;
    exitListeners.forEach((l) => l(info));
  };
  await page.exposeBinding('__athanorGpuSend', (_source, message: unknown) => {
    messageListeners.forEach((l) => l(decode(message)));
  });
  await page.addInitScript({ content: PAGE_SCRIPT });
  page.on('crash', () => end({ code: null, signal: null, reason: { code: 'page-crashed', why: 'crashed' } }));
  page.on('close', () => end({ code: 0, signal: null, reason: { code: 'page-closed' } }));
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${baseUrl}gpu.html`);
  if (errors.length > 0) throw new Error(`the GPU page failed to start: ${errors.join('; ')}`);

  let chain = Promise.resolve();
  return {
    page,
    send(message: ParentMessage) {
      const encoded = encode(message);
      chain = chain.then(() =>
        page
          .evaluate(
            (m) => (globalThis as unknown as { __athanorGpuDeliver(m: unknown): void }).__athanorGpuDeliver(m),
            encoded,
          )
          .then(
            () => undefined,
            () => undefined,
          ),
      );
    },
    onMessage: (listener) => messageListeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (!page.isClosed()) void page.close().catch(() => undefined);
    },
    async crash() {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Page.crash').catch(() => undefined);
    },
  };
}

/**
 * A GPU page as a SpawnWorker wants it: returned at once, opened in the background. Messages sent before the page
 * is ready wait for it; a page that fails to open ends the run with the reason.
 */
export function spawnGpuPage(browser: Browser, baseUrl: string): WorkerTransport {
  const outbox: ParentMessage[] = [];
  const messageListeners: ((m: unknown) => void)[] = [];
  const exitListeners: ((info: ExitInfo) => void)[] = [];
  let transport: GpuPageTransport | null = null;
  let killed = false;
  openGpuPage(browser, baseUrl).then(
    (t) => {
      transport = t;
      messageListeners.forEach((l) => t.onMessage(l));
      exitListeners.forEach((l) => t.onExit(l));
      if (killed) return t.kill();
      outbox.splice(0).forEach((m) => t.send(m));
    },
    (err: unknown) =>
      exitListeners.forEach((l) =>
        l({ code: null, signal: null, reason: { code: 'page-load-failed', detail: (err as Error).message } }),
      ),
  );
  return {
    send: (m) => (transport ? transport.send(m) : outbox.push(m)),
    onMessage: (l) => (transport ? transport.onMessage(l) : messageListeners.push(l)),
    onExit: (l) => (transport ? transport.onExit(l) : exitListeners.push(l)),
    kill: () => {
      killed = true;
      transport?.kill();
    },
  };
}
