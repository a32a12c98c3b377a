/**
 * A run's weights in the history folder: raw float32 in `<id>.bin`, names, shapes and topology in a small
 * `<id>.json` index written after it; the check that a pair can be loaded, and the removal of pairs no row names.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { reasonFor } from '../fs-atomic';
import { readRegularFile, readRegularText } from '../fs-read';
import { basename, join } from 'node:path';
import { t } from '../shared/i18n';
import { RUN_ID_PATTERN } from '../shared/validate';
import type { TrainedModel } from '../training/process/protocol';
import { checkWeights, WEIGHT_SPECS } from '../training/core/weights';
import { abandoned } from './history-folder';

/** Where a run's weights file is; throws for anything but a run id, since ids become file names. */
export function weightsPath(dir: string, id: string, ext: 'bin' | 'json'): string {
  if (!RUN_ID_PATTERN.test(id)) throw new Error(`not a run id: ${JSON.stringify(id)}`);
  return join(dir, 'weights', `${id}.${ext}`);
}

/** The two files' contents for `model`; throws for weights that are not this network's. */
export function encodeWeights(model: TrainedModel): { bin: Uint8Array; index: string } {
  checkWeights(model.weights);
  const total = model.weights.reduce((n, w) => n + w.data.length, 0);
  const data = new Float32Array(total);
  const index: WeightsIndex = { version: 1, tensors: [], topology: model.topology };
  let offset = 0;
  for (const w of model.weights) {
    data.set(w.data, offset);
    index.tensors.push({ name: w.name, shape: [...w.shape], offset, length: w.data.length });
    offset += w.data.length;
  }
  return { bin: new Uint8Array(data.buffer), index: JSON.stringify(index) };
}

/** Reads a run's weights back bit for bit; throws naming the run when they cannot be read or are not this network's. */
export async function readWeights(dir: string, id: string): Promise<TrainedModel> {
  let index: WeightsIndex;
  let bytes: Buffer;
  try {
    index = JSON.parse(await readRegularText(weightsPath(dir, id, 'json'))) as WeightsIndex;
    bytes = await readRegularFile(weightsPath(dir, id, 'bin'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? t('history.store.missing') : reasonFor(code, err);
    throw new Error(t('history.store.weightsNotRead', { id, why }), { cause: err });
  }
  // Copy into a fresh, aligned buffer: a Buffer may sit at any offset of Node's shared pool.
  const all = new Float32Array(new Uint8Array(bytes).buffer);
  const weights = index.tensors.map((t) => ({
    name: t.name,
    shape: t.shape,
    data: all.slice(t.offset, t.offset + t.length),
  }));
  checkWeights(weights);
  return { weights, topology: index.topology };
}

/** The store's weights index (`<id>.json` beside the raw float32 `<id>.bin`). */
interface WeightsIndex {
  version: 1;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  topology: object;
}

/**
 * Why a run's stored weights cannot be loaded, or null when they can: the index must list the network's tensors
 * in order and back to back, and the .bin must hold exactly their float32 values. Reads only the small index.
 */
export async function weightsProblem(jsonPath: string, binPath: string): Promise<string | null> {
  let index: WeightsIndex;
  try {
    index = JSON.parse(await readRegularText(jsonPath)) as WeightsIndex;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? t('history.store.missing') : reasonFor(code, err);
    return t('history.store.fileProblem', { file: basename(jsonPath), why });
  }
  let offset = 0;
  const tensors = Array.isArray(index?.tensors) ? index.tensors : [];
  const fits =
    tensors.length === WEIGHT_SPECS.length &&
    WEIGHT_SPECS.every((spec, i) => {
      const t = tensors[i];
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const ok =
        t?.name === spec.name &&
        Array.isArray(t.shape) &&
        t.shape.join() === spec.shape.join() &&
        t.offset === offset &&
        t.length === size;
      offset += size;
      return ok;
    });
  if (!fits || typeof index.topology !== 'object' || index.topology === null) {
    return t('history.store.fileProblem', { file: basename(jsonPath), why: t('history.store.notWeightsIndex') });
  }
  const bin = await stat(binPath).catch(() => undefined);
  const file = basename(binPath);
  if (!bin?.isFile()) return t('history.store.fileProblem', { file, why: t('history.store.missing') });
  if (bin.size !== offset * 4) {
    return t('history.store.fileProblem', {
      file,
      why: t('history.store.wrongSize', { size: bin.size, expected: offset * 4 }),
    });
  }
  return null;
}

/**
 * Removes the weights files of `folder` that no row in `ids` names: left by a save killed between the weights and
 * its row, or a delete killed between the row and its weights. Only files named as the store names weights, and
 * only old ones: a live process writes a run's weights moments before its row. Best effort, as the start's repairs are.
 */
export async function removeOrphanWeights(folder: string, ids: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(folder).catch(() => [])) {
    const id = name.replace(/\.(bin|json)$/, '');
    if (id === name || !RUN_ID_PATTERN.test(id) || ids.has(id)) continue;
    const path = join(folder, name);
    if (await abandoned(path)) await unlink(path).catch(() => undefined);
  }
}
