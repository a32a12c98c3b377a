import { access, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../../fs-atomic';
import { checkWeights, type NamedTensor } from '../weights';

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
}

/** `mnist_cnn.json` -> `mnist_cnn.weights.bin`, in the same folder. */
export function weightsPathFor(jsonPath: string): string {
  return join(dirname(jsonPath), `${basename(jsonPath).replace(/\.json$/i, '')}.weights.bin`);
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/**
 * Writes model.json and its weights file. The .bin goes first, so a model.json on disk never points at missing
 * weights; if model.json then cannot be written, a .bin this call created is removed again. A .bin that was
 * already there (an earlier export of the same network) is left: with it, the earlier model.json still loads.
 */
export async function writeTfjsModel(
  jsonPath: string,
  weights: readonly NamedTensor[],
  topology: object,
): Promise<{ files: string[]; bytes: number }> {
  checkWeights(weights);
  const binPath = weightsPathFor(jsonPath);
  const total = weights.reduce((n, w) => n + w.data.byteLength, 0);
  const bin = new Uint8Array(total);
  let at = 0;
  for (const w of weights) {
    bin.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), at);
    at += w.data.byteLength;
  }
  const keras = (topology as { keras_version?: unknown }).keras_version;
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: typeof keras === 'string' ? `Athanor (${keras})` : 'Athanor',
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{
      paths: [basename(binPath)],
      weights: weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })),
    }],
  };
  const json = JSON.stringify(modelJson);

  const binExisted = await exists(binPath);
  await writeFileAtomic(binPath, bin);
  try {
    await writeFileAtomic(jsonPath, json);
  } catch (err) {
    if (!binExisted) await unlink(binPath).catch(() => undefined);
    throw err;
  }
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
  const modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as TfjsModelJson;
  if (modelJson.format !== 'layers-model') throw new Error(`${jsonPath} is not a TF.js layers model`);
  const parts = await Promise.all(modelJson.weightsManifest.flatMap((group) =>
    group.paths.map((p) => readFile(join(dirname(jsonPath), p)))));
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
