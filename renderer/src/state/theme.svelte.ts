/**
 * The OS light or dark theme, live: Electron reports the system theme to prefers-color-scheme and updates it when
 * the user switches, so the page follows without any IPC. Canvas drawings (charts, the confusion matrix) read
 * their colours from app.css's custom properties through `css`, and redraw when `dark` changes.
 */
class Theme {
  dark = $state(false);

  constructor() {
    const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    this.dark = query.matches;
    query.addEventListener('change', (e) => (this.dark = e.matches));
  }

  /** A custom property's value for the current theme, e.g. css('--text-2'); reading `dark` makes callers reactive. */
  css(name: string): string {
    void this.dark;
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
}

export const theme = new Theme();
