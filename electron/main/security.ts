import { app, session, type Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './app-url';

/**
 * Rules for every web contents the app ever creates: registered before the first window, so none escapes them.
 * `isAppUrl` says which URL is the app's own page.
 */
export function applySecurity(isAppUrl: (url: string) => boolean, options: { csp: boolean }): void {
  app.on('web-contents-created', (_event, contents) => {
    // The app has one window; a page asking for another (window.open, target=_blank) is refused.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    // The window shows the app and nothing else: a link or script cannot take it to another page.
    contents.on('will-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    // A redirect is a navigation by other means.
    contents.on('will-redirect', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    // No <webview>: it could load remote content with its own, weaker preferences.
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app
    .whenReady()
    .then(() => hardenSession(session.defaultSession, options.csp))
    .catch(() => undefined);
}

function hardenSession(ses: Session, csp: boolean): void {
  // Training MNIST needs no camera, microphone, location, notifications or anything else a page can ask for.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  if (!csp) return; // The dev server's hot reload needs its own scripts and socket; the meta tag still applies.
  // The header backs the renderer's meta tag, and adds frame-ancestors, which only a header can set.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
