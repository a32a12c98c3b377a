import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { MnistSplit } from '../../../electron/training/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTfjsArtifacts, weightsPathFor, writeTfjsModel } from '../../../electron/training/export/tfjs';
import { readModelWeights } from '../../../electron/training/model';
import {
  argmaxRows, testImages, maxAbsDiff, predictLogits, sameBits, tempDir, trainedModel, type TrainedModel,
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

  it('writes model.json and mnist_cnn.weights.bin beside it', async () => {
    const jsonPath = join(tmp.dir, 'mnist_cnn.json');
    const result = await writeTfjsModel(jsonPath, source.weights, source.topology);
    const binPath = join(tmp.dir, 'mnist_cnn.weights.bin');
    expect(result.files).toEqual([jsonPath, binPath]);
    expect(statSync(binPath).size).toBe(225_034 * 4);
    expect(result.bytes).toBe(statSync(binPath).size + statSync(jsonPath).size);
    const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.convertedBy).toBeNull();
    expect(json.generatedBy).toMatch(/^Athanor/);
    expect(json.modelTopology).toEqual(JSON.parse(JSON.stringify(source.topology)));
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['mnist_cnn.weights.bin']);
    expect(json.weightsManifest[0].weights[4]).toEqual({ name: 'fc1/kernel', shape: [1600, 128], dtype: 'float32' });
    expect(tmp.files()).toEqual(['mnist_cnn.json', 'mnist_cnn.weights.bin']);
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

  it('derives the weights file name from the .json path', () => {
    expect(weightsPathFor('/a/b/mnist_cnn.json')).toBe('/a/b/mnist_cnn.weights.bin');
    expect(weightsPathFor('/a/model.JSON')).toBe('/a/model.weights.bin');
  });

  it('leaves no partial export when model.json cannot be written', async () => {
    const dir = join(tmp.dir, 'blocked');
    mkdirSync(dir);
    // A directory where model.json should go: the weights get written, then the json's rename fails.
    const jsonPath = join(dir, 'model.json');
    mkdirSync(jsonPath);
    await expect(writeTfjsModel(jsonPath, source.weights, source.topology))
      .rejects.toThrow(`cannot write ${jsonPath}: a directory is in the way`);
    expect(existsSync(weightsPathFor(jsonPath))).toBe(false);
    expect(readdirSync(dir)).toEqual(['model.json']);
  });
});
