/**
 * Which URLs are the app's own page: the built index.html (file://) or, in development, electron-vite's dev server.
 * Plain Node, so the rule the navigation guard and the IPC sender check share is unit-tested.
 */
import { pathToFileURL } from 'node:url';

export interface AppPage {
  /** ELECTRON_RENDERER_URL in `electron-vite dev`; undefined in a build. */
  devServerUrl?: string;
  /** out/renderer/index.html */
  indexHtml: string;
}

export function createAppUrlCheck(page: AppPage): (url: string) => boolean {
  const dev = page.devServerUrl ? new URL(page.devServerUrl) : null;
  const index = pathToFileURL(page.indexHtml);
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    // Hash and query stay free (the renderer may use them); scheme, host and path must be exactly the app's.
    if (dev) return u.origin === dev.origin;
    return u.protocol === 'file:' && u.host === index.host && u.pathname === index.pathname;
  };
}

/** The Content-Security-Policy main adds to every response: the renderer's meta tag's policy, plus what only a header can say. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
