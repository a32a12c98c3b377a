import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { MnistSplit } from '../../../electron/training/core/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../electron/fs-atomic';
import { readTfjsArtifacts, weightsNameFor, writeTfjsModel } from '../../../electron/training/export/tfjs';
import { readModelWeights } from '../../../electron/training/core/model';
import {
  argmaxRows,
  testImages,
  maxAbsDiff,
  predictLogits,
  sameBits,
  tempDir,
  trainedModel,
  type TrainedModel,
} from './fixtures';

describe('TF.js layers-model export', () => {
  const tmp = tempDir();
  afterAll(tmp.remove);
  const N = 200;
  let test: MnistSplit;
  let source: TrainedModel;
  beforeAll(async () => {
    test = await testImages(N);
    source = await trainedModel();
  });

  it('writes model.json and mnist_cnn.<hash>.weights.bin beside it', async () => {
    const jsonPath = join(tmp.dir, 'mnist_cnn.json');
    const result = await writeTfjsModel(jsonPath, source.weights, source.topology);
    const binName = readdirSync(tmp.dir).find((f) => f.endsWith('.weights.bin'))!;
    expect(binName).toMatch(/^mnist_cnn\.[0-9a-f]{8}\.weights\.bin$/);
    const binPath = join(tmp.dir, binName);
    expect(result.files).toEqual([jsonPath, binPath]);
    expect(statSync(binPath).size).toBe(225_034 * 4);
    expect(result.bytes).toBe(statSync(binPath).size + statSync(jsonPath).size);
    const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.convertedBy).toBeNull();
    expect(json.generatedBy).toMatch(/^Athanor/);
    expect(json.modelTopology).toEqual(JSON.parse(JSON.stringify(source.topology)));
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual([binName]);
    expect(json.weightsManifest[0].weights[4]).toEqual({ name: 'fc1/kernel', shape: [1600, 128], dtype: 'float32' });
    expect(tmp.files().sort()).toEqual(['mnist_cnn.json', binName].sort());
  });

  it('loads back with tfl.loadLayersModel: same weights, same predictions on real images', async () => {
    const jsonPath = join(tmp.dir, 'mnist_cnn.json');
    await writeTfjsModel(jsonPath, source.weights, source.topology);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(await readTfjsArtifacts(jsonPath)));
    const weights = await readModelWeights(loaded);
    weights.forEach((w, i) => expect(sameBits(w.data, source.weights[i].data), w.name).toBe(true));
    const expected = predictLogits(source.model, test.images, N);
    const actual = predictLogits(loaded, test.images, N);
    expect(maxAbsDiff(actual, expected)).toBe(0);
    expect(argmaxRows(actual)).toEqual(argmaxRows(expected));
    loaded.dispose();
  });

  it('names the weights file after the .json, in characters every loader resolves, new for new weights', () => {
    const bin = new Uint8Array([1, 2, 3]);
    expect(weightsNameFor('/a/b/mnist_cnn.json', bin)).toMatch(/^mnist_cnn\.[0-9a-f]{8}\.weights\.bin$/);
    expect(weightsNameFor('/a/model.JSON', bin)).toMatch(/^model\.[0-9a-f]{8}\.weights\.bin$/);
    // The example and the rest of its kind: URL-significant, Windows-forbidden, spaces, non-ASCII, hidden.
    expect(weightsNameFor('/a/run#2.json', bin)).toMatch(/^run_2\.[0-9a-f]{8}\.weights\.bin$/);
    expect(weightsNameFor('/a/a?b%20c d:e\\f.json', bin)).toMatch(/^a_b_20c_d_e_f\.[0-9a-f]{8}\.weights\.bin$/);
    expect(weightsNameFor('/a/modèle.json', bin)).toMatch(/^mod_le\.[0-9a-f]{8}\.weights\.bin$/);
    expect(weightsNameFor('/a/.json', bin)).toMatch(/^model\.[0-9a-f]{8}\.weights\.bin$/);
    // Names that clean up alike, or new weights under one name, never share a file.
    expect(weightsNameFor('/a/run#2.json', bin)).not.toBe(weightsNameFor('/a/run?2.json', bin));
    expect(weightsNameFor('/a/m.json', bin)).not.toBe(weightsNameFor('/a/m.json', new Uint8Array([1, 2, 4])));
    expect(weightsNameFor('/a/m.json', bin)).toBe(weightsNameFor('/b/m.json', bin));
  });

  it('a model saved as run#2.json (and its kind) loads over HTTP with tfl.loadLayersModel', async () => {
    const dir = join(tmp.dir, 'served');
    mkdirSync(dir);
    const names = ['run#2.json', 'a?b.json', 'with space.json', '100%.json', 'modèle.json'];
    for (const name of names) await writeTfjsModel(join(dir, name), source.weights, source.topology);
    // A static file server, as a user would put the export behind one: the URL path, decoded, is the file name.
    const server = createServer((req, res) => {
      const file = join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname.slice(1)));
      if (!existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const name of names) {
        const loaded = await tfl.loadLayersModel(`http://127.0.0.1:${port}/${encodeURIComponent(name)}`);
        const weights = await readModelWeights(loaded);
        expect(sameBits(weights[4].data, source.weights[4].data), name).toBe(true);
        loaded.dispose();
      }
    } finally {
      server.close();
    }
  });

  it('leaves no partial export when model.json cannot be written', async () => {
    const dir = join(tmp.dir, 'blocked');
    mkdirSync(dir);
    // A directory where model.json should go: the weights get written, then the json's rename fails.
    const jsonPath = join(dir, 'model.json');
    mkdirSync(jsonPath);
    await expect(writeTfjsModel(jsonPath, source.weights, source.topology)).rejects.toThrow(
      `cannot write ${jsonPath}: a directory is in the way`,
    );
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('a failed re-export leaves the old pair whole; a good one leaves only the new pair', async () => {
    const dir = join(tmp.dir, 'pair');
    mkdirSync(dir);
    const jsonPath = join(dir, 'model.json');
    const newer = source.weights.map((w) => ({ ...w, data: w.data.map((v) => v + 1) }));
    await writeTfjsModel(jsonPath, source.weights, source.topology);
    const oldFiles = readdirSync(dir).sort();
    const oldJson = readFileSync(jsonPath, 'utf8');
    const failSecond: typeof writeFileAtomic = async (path, data) => {
      if (path === jsonPath) throw new Error('disk full');
      await writeFileAtomic(path, data);
    };
    await expect(writeTfjsModel(jsonPath, newer, source.topology, failSecond)).rejects.toThrow('disk full');
    expect(readdirSync(dir).sort()).toEqual(oldFiles);
    expect(readFileSync(jsonPath, 'utf8')).toBe(oldJson);
    const old = await readTfjsArtifacts(jsonPath);
    expect(new Float32Array(old.weightData, 0, 4)).toEqual(source.weights[0].data.subarray(0, 4));

    const result = await writeTfjsModel(jsonPath, newer, source.topology);
    expect(readdirSync(dir).sort()).toEqual(result.files.map((f) => f.slice(dir.length + 1)).sort());
    expect(oldFiles.filter((f) => f.endsWith('.bin')).some((f) => existsSync(join(dir, f)))).toBe(false);
    const now = await readTfjsArtifacts(jsonPath);
    expect(new Float32Array(now.weightData, 0, 4)).toEqual(newer[0].data.subarray(0, 4));
  });

  it("replacing another tool's model.json leaves the files it named alone", async () => {
    const dir = join(tmp.dir, 'foreign');
    mkdirSync(dir);
    const jsonPath = join(dir, 'model.json');
    writeFileSync(
      jsonPath,
      JSON.stringify({
        format: 'layers-model',
        generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
        weightsManifest: [{ paths: ['group1.0123abcd.weights.bin'], weights: [] }],
      }),
    );
    writeFileSync(join(dir, 'group1.0123abcd.weights.bin'), 'theirs');
    await writeTfjsModel(jsonPath, source.weights, source.topology);
    expect(readFileSync(join(dir, 'group1.0123abcd.weights.bin'), 'utf8')).toBe('theirs');
  });
});
