import type { Api } from '../../../electron/shared/api';
import { t } from '../../../electron/shared/i18n';

/** The fixed words main's IPC gate (validate.ts, main/ipc.ts) and the preload begin a refusal with. */
const INVOKING = /^Error invoking remote method '[^']*': /;
const ERROR_NAME = /^\w*Error: /;
const NOT_OWN_PAGE = /^"[^"]*" refused: it did not come from Athanor's own page$/;
const REFUSED = /^(invalid argument for "[^"]*"|"[^"]*" refused): /;
const UNKNOWN_CHANNEL = /^unknown (event )?channel "[^"]*"/;
const CHANNEL = /(["'`])[a-z]+(?:-[a-z]+)*:[a-z]+(?:-[a-z]+)*\1/g;

/**
 * A refusal from main in the user's words and language. Main's checks name the IPC channel they guard (`invalid
 * argument for "training:start": ...`) and Electron prefixes the channel again (`Error invoking remote method
 * '...'`); a channel is plumbing a user cannot act on, so both go: the kind of refusal, known by main's fixed opening,
 * is worded from the catalogue, and what remains (the check's own detail) says what was wrong. Any other
 * channel-shaped name ("area:action") left in the text becomes "the request".
 */
export function userWords(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const said = raw.replace(INVOKING, '').replace(ERROR_NAME, '');
  if (NOT_OWN_PAGE.test(said)) return t('app.notOwnPage');
  const hideChannels = (text: string) => text.replace(CHANNEL, () => t('app.theRequest'));
  const refused = REFUSED.exec(said);
  if (refused) return t('app.refused', { detail: hideChannels(said.slice(refused[0].length)) });
  const unknown = UNKNOWN_CHANNEL.exec(said);
  if (unknown) return t('app.unknownRequest') + hideChannels(said.slice(unknown[0].length));
  return hideChannels(said);
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
