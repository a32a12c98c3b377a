/**
 * How main answers one invoke from the page, without Electron (main/ipc.ts is the glue; the browser tests' bridge
 * answers the same way). A refusal of main's IPC gate is a code with data where it happens (IpcValidationError,
 * a call from outside the app's page) and is worded here, once, in the language main speaks: the page shows an
 * invoke's failure as it comes, and never reads words back into meaning.
 */
import { t } from '../shared/i18n';
import { IpcValidationError } from '../shared/validate';

/**
 * Runs `handler` for a call the page made, or refuses it: a call not from the app's own top-level page is refused
 * before anything runs; an argument the gate refused becomes the refusal in the user's words (`Athanor refused the
 * request: epochs must be at least 1, got 0`), with the gate's error as `cause` for logs. Any other failure of the
 * handler passes through as thrown: main's handlers already word what they throw (files.*, main.*).
 */
export async function answerInvoke<T>(fromOwnPage: boolean, handler: () => T | Promise<T>): Promise<T> {
  if (!fromOwnPage) throw new Error(t('app.notOwnPage'));
  try {
    return await handler();
  } catch (err) {
    if (!(err instanceof IpcValidationError)) throw err;
    const words =
      err.reason.code === 'unknown-channel' ? t('app.unknownRequest') : t('app.refused', { detail: err.reason.detail });
    throw new Error(words, { cause: err });
  }
}
