import type { Plugin } from 'vite';

/**
 * Development only: Vite's dev server injects each component's CSS as a <style> element, which the page's strict
 * `style-src 'self'` blocks. Serving relaxes that one directive; builds keep the policy exactly as written.
 */
export function devCsp(): Plugin {
  return {
    name: 'athanor-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}
