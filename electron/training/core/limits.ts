/**
 * What each engine can hold, in one place: the validators (config.ts, shared/validate.ts, the settings form) accept
 * any batch up to the training set's size, and a run then checks its engine's own limit here before the first batch.
 */
import { ConfigError } from './config';
import { messageOf } from '../engines/errors';
import type { EngineInfo, EngineName } from '../../shared/schema/engine';
import type { Reason } from '../../shared/reasons';

/**
 * The largest batch (images) each engine is known to train. wasm: its heap stops at 4 GiB (emscripten's
 * getHeapMax in tfjs-backend-wasm 4.22), and the step's activations and gradients for this network outgrow what
 * its kernels can address between 3,584 and 4,096 images ("memory access out of bounds", or "Aborted()" from a
 * failed allocation); measured: 2 epochs of 3 batches at 3,584 train, at 4,096 they fail. An engine not listed
 * has no known limit below the training set's size. Add the GPU engines' measured limits here.
 */
export const MAX_BATCH_SIZE: Partial<Record<EngineName, number>> = { wasm: 3584 };

/** The largest batch `engine` holds, or undefined where none is known. */
export function maxBatchSizeFor(engine: Pick<EngineInfo, 'engine'>): number | undefined {
  return MAX_BATCH_SIZE[engine.engine];
}

/**
 * Refuses, before training, a batch the engine cannot hold. `batch` is the batch the run would really use: the
 * batch size, or the whole training set when that is smaller. Throws ConfigError naming the largest that fits.
 */
export function checkBatchFits(batch: number, engine: Pick<EngineInfo, 'engine'>, name = 'batch size'): void {
  const max = maxBatchSizeFor(engine);
  if (max !== undefined && batch > max) {
    throw new ConfigError(`${name} ${batch} is more than the ${engine.engine} engine can hold: use ${max} or less`);
  }
}

// Out-of-memory in each engine's words: wasm (a failed malloc aborts; an address past the heap traps), V8 (an
// ArrayBuffer it cannot allocate), TensorFlow ("OOM when allocating tensor", ResourceExhaustedError), WebGL/WebGPU.
const OUT_OF_MEMORY =
  /out of memory|\bOOM\b|memory access out of bounds|^(RuntimeError: )?Aborted\(|Cannot enlarge memory|Array buffer allocation failed|ResourceExhausted|GL_OUT_OF_MEMORY/i;

export function isOutOfMemory(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return OUT_OF_MEMORY.test(err instanceof Error ? err.message : text) || OUT_OF_MEMORY.test(text);
}

/**
 * An engine that ran out of memory mid-run, as a reason: which engine, at what batch (images), the largest batch it
 * is known to hold, and the first line of its own error (at most 120 characters).
 */
export function outOfMemoryReason(err: unknown, batch: number, engine: Pick<EngineInfo, 'engine'>): Reason {
  const detail = messageOf(err).split('\n', 1)[0].slice(0, 120);
  const max = maxBatchSizeFor(engine);
  return { code: 'out-of-memory', engine: engine.engine, batch, ...(max !== undefined ? { max } : {}), detail };
}
