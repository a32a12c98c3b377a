import type { Api } from '../../../electron/shared/api';

/**
 * A refusal from main in the user's words. Main's checks name the IPC channel they guard (`invalid argument for
 * "training:start": ...`) and Electron prefixes the channel again (`Error invoking remote method '...'`); a channel
 * is plumbing a user cannot act on, so both go and what remains says what was wrong. Any other channel-shaped name
 * ("area:action") left in the text becomes "the request".
 */
export function userWords(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw
    .replace(/^Error invoking remote method '[^']*': /, '')
    .replace(/^\w*Error: /, '')
    .replace(/^invalid argument for "[^"]*": /, 'Athanor refused the request: ')
    .replace(/^"[^"]*" refused: /, 'Athanor refused the request: ')
    .replace(/^unknown (event )?channel "[^"]*"/, 'this version of Athanor does not know that request')
    .replace(/(["'`])[a-z]+(?:-[a-z]+)*:[a-z]+(?:-[a-z]+)*\1/g, 'the request');
}

/**
 * The preload's API with every call's failure reworded by `userWords` (the original is the Error's `cause`), so a
 * notice, a panel or a dialog that shows `err.message` never shows a channel name. Listeners pass through.
 */
export function withUserWords(raw: Api): Api {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(raw)) {
    wrapped[name] =
      typeof member === 'function' && !name.startsWith('on')
        ? (arg: unknown) =>
            // Through a promise, so a call that throws at once is reworded too.
            Promise.resolve()
              .then(() => (member as (arg: unknown) => Promise<unknown>)(arg))
              .catch((err: unknown) => {
                throw new Error(userWords(err), { cause: err });
              })
        : member;
  }
  return wrapped as Api;
}

/**
 * The preload's API object (`window.athanor`), the renderer's only way to main. Read through a cast rather than a
 * global declaration, so this file does not depend on who declares `Window.athanor`.
 */
export const api: Api = withUserWords((globalThis as unknown as { athanor: Api }).athanor ?? ({} as Api));
