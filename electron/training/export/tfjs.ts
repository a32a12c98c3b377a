import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { readRegularFile, readRegularText } from '../../fs-read';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../../fs-atomic';
import { checkWeights, type NamedTensor } from '../core/weights';

/*
 * TF.js's layers-model format, as `model.save('file://...')` writes it: model.json holds the topology and a
 * weights manifest; the weights are one binary file beside it (the model is 0.9 MB, below TF.js's 4 MB shard
 * size). Names in the manifest are the variables' original names ('conv1/kernel'), which is how loadLayersModel
 * matches them to layers.
 */

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: WeightSpec[] }>;
  /** What trained the weights (export/index.ts `provenance`); tf.loadLayersModel keeps it as the model's metadata. */
  userDefinedMetadata?: Record<string, string>;
}

/**
 * The weights file's name for `jsonPath`, e.g. `mnist_cnn.json` -> `mnist_cnn.3f2a9c01.weights.bin`. Two rules:
 * - It survives every program that resolves it: loadLayersModel joins it to the model's URL, where `#`, `?`, `%`,
 *   spaces and non-ASCII letters change what is fetched (`run#2.weights.bin` asks for `/run`), and file systems
 *   forbid others (`:` `\` on Windows). So only `A-Z a-z 0-9 . _ -` stay; anything else becomes `_`.
 * - It is new whenever the weights are: the 8 hex digits are the SHA-256 of the json's file name and the weights.
 *   So the json's rename is the one moment the model changes (old pair before it, new pair after), and an HTTP cache
 *   can never serve old weights with a new model.json, nor two models whose names clean up alike share one file.
 */
export function weightsNameFor(jsonPath: string, bin: Uint8Array): string {
  const stem = basename(jsonPath).replace(/\.json$/i, '');
  const safe = stem.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'model';
  const hash = createHash('sha256').update(basename(jsonPath)).update(bin).digest('hex').slice(0, 8);
  return `${safe}.${hash}.weights.bin`;
}

/** What writeTfjsModel may delete: a weights file it wrote for an earlier export. */
const OWN_WEIGHTS_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.[0-9a-f]{8}\.weights\.bin$/;

/** The weights files an Athanor model.json at `jsonPath` names; none when there is none (or another tool's). */
async function previousWeights(jsonPath: string): Promise<string[]> {
  try {
    const old = JSON.parse(await readRegularText(jsonPath)) as Partial<TfjsModelJson>;
    if (!String(old.generatedBy).startsWith('Athanor')) return [];
    return (old.weightsManifest ?? []).flatMap((group) => group.paths).filter((p) => OWN_WEIGHTS_NAME.test(p));
  } catch {
    return [];
  }
}

/**
 * Writes model.json and its weights file so that a failure at any point leaves the old pair or the new one, never
 * a mix: the weights go to a file of their own name (weightsNameFor), then model.json is replaced atomically to
 * name them, and only then is the weights file of the replaced model.json removed. If model.json cannot be written,
 * the new weights file is removed again and the old pair is untouched. `writeFile` is a seam for tests.
 */
export async function writeTfjsModel(
  jsonPath: string,
  weights: readonly NamedTensor[],
  topology: object,
  writeFile: typeof writeFileAtomic = writeFileAtomic,
  metadata: Record<string, string> = {},
): Promise<{ files: string[]; bytes: number }> {
  checkWeights(weights);
  const total = weights.reduce((n, w) => n + w.data.byteLength, 0);
  const bin = new Uint8Array(total);
  let at = 0;
  for (const w of weights) {
    bin.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), at);
    at += w.data.byteLength;
  }
  const binName = weightsNameFor(jsonPath, bin);
  const binPath = join(dirname(jsonPath), binName);
  const keras = (topology as { keras_version?: unknown }).keras_version;
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: typeof keras === 'string' ? `Athanor (${keras})` : 'Athanor',
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [
      {
        paths: [binName],
        weights: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })),
      },
    ],
    ...(Object.keys(metadata).length > 0 ? { userDefinedMetadata: metadata } : {}),
  };
  const json = JSON.stringify(modelJson);

  const previous = await previousWeights(jsonPath);
  const replaced = previous.filter((name) => name !== binName);
  await writeFile(binPath, bin);
  try {
    await writeFile(jsonPath, json);
  } catch (err) {
    // The write is atomic: the old model.json, read above, is still the one on disk.
    if (!previous.includes(binName)) await unlink(binPath).catch(() => undefined);
    throw err;
  }
  // The old model.json is gone: its weights file is no one's now. Best effort: a leftover wastes space, nothing else.
  await Promise.all(replaced.map((name) => unlink(join(dirname(jsonPath), name)).catch(() => undefined)));
  return { files: [jsonPath, binPath], bytes: bin.length + Buffer.byteLength(json) };
}

/**
 * Reads a model written by writeTfjsModel into the artifacts `tf.io.fromMemory` takes, so the model loads
 * with `tfl.loadLayersModel(tf.io.fromMemory(artifacts))` without a file:// handler (tfjs-node only).
 */
export async function readTfjsArtifacts(jsonPath: string): Promise<{
  modelTopology: object;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
}> {
  const modelJson = JSON.parse(await readRegularText(jsonPath)) as TfjsModelJson;
  if (modelJson.format !== 'layers-model') throw new Error(`${jsonPath} is not a TF.js layers model`);
  const parts = await Promise.all(
    modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => readRegularFile(join(dirname(jsonPath), p)))),
  );
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    weightData.set(p, at);
    at += p.length;
  }
  return {
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer,
  };
}
