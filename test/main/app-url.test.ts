import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createAppUrlCheck } from '../../electron/main/app-url';

describe('createAppUrlCheck', () => {
  it("in a build: only the app's own index.html, whatever its hash or query", () => {
    const isApp = createAppUrlCheck({ indexHtml: '/opt/Athanor/resources/app.asar/out/renderer/index.html' });
    expect(isApp('file:///opt/Athanor/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(isApp('file:///opt/Athanor/resources/app.asar/out/renderer/index.html#/history?x=1')).toBe(true);
    expect(isApp('file:///opt/Athanor/resources/app.asar/out/renderer/other.html')).toBe(false);
    expect(isApp('file:///etc/passwd')).toBe(false);
    expect(isApp('file://evil.example/opt/Athanor/resources/app.asar/out/renderer/index.html')).toBe(false);
    expect(isApp('https://example.com/')).toBe(false);
    expect(isApp('not a url')).toBe(false);
    expect(isApp('')).toBe(false);
  });

  it('paths with spaces and non-ASCII letters match their encoded file URL', () => {
    const isApp = createAppUrlCheck({ indexHtml: '/home/zoë/My Apps/out/renderer/index.html' });
    expect(isApp('file:///home/zo%C3%AB/My%20Apps/out/renderer/index.html')).toBe(true);
  });

  it("in development: the dev server's origin only", () => {
    const isApp = createAppUrlCheck({ devServerUrl: 'http://localhost:5173', indexHtml: '/x/index.html' });
    expect(isApp('http://localhost:5173/')).toBe(true);
    expect(isApp('http://localhost:5173/src/App.svelte?t=1')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('http://127.0.0.1:5173/')).toBe(false);
    expect(isApp('file:///x/index.html')).toBe(false);
  });

  it('the header policy allows nothing remote, inline or framed', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:|\*/);
  });
});

describe('the two Content-Security-Policies', () => {
  it("the header says what the renderer's meta tag says, plus frame-ancestors (which a meta tag cannot set)", async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(CONTENT_SECURITY_POLICY).toBe(`${meta}; frame-ancestors 'none'`);
  });
});
