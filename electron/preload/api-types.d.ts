/** `window.athanor` for the renderer: the type is createApi's own (shared/api.ts), never written out twice. */
import type { Api } from '../shared/api';

declare global {
  interface Window {
    athanor: Api;
  }
}

export {};
