/**
 * A skipped batch size's reason in words, in the current language: the Scaling view's table and the sweep CLI (which
 * never switches language, so it stays English) word the same codes.
 */
import { t } from './i18n';
import type { SkippedSize } from './schema/sweep';

/** "more than the wasm engine can hold (3584)"; a reason an earlier Athanor saved in words comes back as it was. */
export function describeSkipped(skipped: SkippedSize): string {
  const { reason, engine, limit } = skipped;
  if (reason === 'cancelled') return t('scaling.skipped.cancelled');
  if (reason === 'engine-limit' && engine !== undefined && limit !== undefined)
    return t('scaling.skipped.engineLimit', { engine, limit });
  if (reason === 'too-few-images' && limit !== undefined) return t('scaling.skipped.tooFewImages', { images: limit });
  return reason;
}
