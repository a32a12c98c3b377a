import type { Api } from '../../../electron/shared/api';

/**
 * The preload's API object (`window.athanor`), the renderer's only way to main. Read through a cast rather than a
 * global declaration, so this file does not depend on who declares `Window.athanor`.
 */
export const api: Api = (globalThis as unknown as { athanor: Api }).athanor;
