import { UNKNOWN_REQUEST, type Api } from '../../../electron/shared/api';
import { t } from '../../../electron/shared/i18n';
import { errorMessage } from './format';

/** A channel's name ("area:action", quoted), which a user cannot act on. */
const CHANNEL = /(["'`])[a-z]+(?:-[a-z]+)*:[a-z]+(?:-[a-z]+)*\1/g;

/**
 * A failed call in the user's words and language. Main words its refusals itself, in the language it speaks
 * (services/ipc-answer.ts), so the page only takes off Electron's wrapping (`Error invoking remote method '...':
 * Error: `, errorMessage) and, as a last guard, replaces any channel-shaped name left in the text with "the request".
 * The preload's one refusal of its own, a channel outside the contract, is a code (UNKNOWN_REQUEST), worded here.
 */
export function userWords(err: unknown): string {
  const said = errorMessage(err);
  if (said === UNKNOWN_REQUEST) return t('app.unknownRequest');
  return said.replace(CHANNEL, () => t('app.theRequest'));
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
