import * as tf from '@tensorflow/tfjs-core';
import { EngineUnavailableError } from './errors';

/**
 * Makes `backend` tfjs's current backend, or throws EngineUnavailableError naming `label` and why: the error tfjs
 * threw while creating it, or `notStarted` when it declined without one.
 */
export async function startBackend(backend: string, label: string, notStarted = ''): Promise<void> {
  let started: boolean;
  try {
    started = await tf.setBackend(backend);
  } catch (err) {
    throw new EngineUnavailableError({
      code: 'backend-not-started',
      api: label,
      detail: `: ${(err as Error).message}`,
    });
  }
  if (!started) throw new EngineUnavailableError({ code: 'backend-not-started', api: label, detail: notStarted });
}
