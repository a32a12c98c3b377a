/**
 * The one job server the worker process and the GPU page share: one job a port, cancel at any time, and every
 * failure coded one way, so a refused setting reads 'invalid-config' from either (the page said 'failed').
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, REFERENCE_CONFIG, validateConfig } from '../../../electron/training/core/config';
import { EngineUnavailableError } from '../../../electron/training/engines/errors';
import { errorCode } from '../../../electron/training/process/error-code';
import { serveJobs, type JobPort, type Trainer } from '../../../electron/training/process/job-server';
import { DatasetError } from '../../../electron/training/core/dataset';
import { describeReason } from '../../../electron/shared/describe-reason';
import type { ParentMessage, WorkerMessage } from '../../../electron/training/process/protocol';

function fakePort() {
  const sent: WorkerMessage[] = [];
  let listener: (m: ParentMessage) => void = () => undefined;
  const port: JobPort = { send: (m) => sent.push(m), onMessage: (l) => (listener = l) };
  return { port, sent, say: (m: ParentMessage) => listener(m) };
}

const config = {
  ...REFERENCE_CONFIG,
  device: 'gpu' as const,
  epochs: 1,
  batchSize: 64,
  lr: 0.01,
  momentum: 0.9,
  seed: 1,
};

describe('serveJobs', () => {
  it('codes a failure in prepare one way, whichever server it is', async () => {
    for (const [thrown, code] of [
      [() => validateConfig({ ...config, batchSize: 0 }), 'invalid-config'],
      [
        () => {
          throw new DatasetError('/x/train-images-idx3-ubyte: truncated');
        },
        'dataset',
      ],
      [
        () => {
          throw new EngineUnavailableError({ code: 'webgpu-missing' });
        },
        'engine-unavailable',
      ],
      [
        () => {
          throw new TypeError('boom');
        },
        'failed',
      ],
    ] as const) {
      for (const peer of ['worker', 'page'] as const) {
        const { port, sent, say } = fakePort();
        const trainer: Trainer = {
          peer,
          prepare: async () => thrown() as never,
          probe: async () => ({ type: 'error', message: '' }),
        };
        serveJobs(port, trainer);
        say({ type: 'start', config });
        await expect.poll(() => sent.length).toBe(1);
        expect(sent[0]).toMatchObject({ type: 'error', code });
        // An engine's refusal carries its own reason; the rest carry their error's words in an 'error' reason.
        const error = sent[0] as Extract<WorkerMessage, { type: 'error' }>;
        if (code === 'engine-unavailable') expect(error.reason).toEqual({ code: 'webgpu-missing' });
        else expect(error.reason).toMatchObject({ code: 'error', message: expect.any(String) });
        if (code === 'dataset') expect(error.reason).toMatchObject({ message: expect.stringMatching(/truncated/) });
      }
    }
  });

  it("takes one job a port, answers a probe, and refuses a second job by the server's name", async () => {
    const { port, sent, say } = fakePort();
    serveJobs(port, {
      peer: 'page',
      prepare: () => new Promise(() => undefined),
      probe: async ({ device }) => ({ type: 'probe-result', device, ok: false, reason: { code: 'webgpu-missing' } }),
    });
    say({ type: 'probe', device: 'gpu' });
    say({ type: 'start', config });
    await expect.poll(() => sent.length).toBe(2);
    expect(sent).toEqual([
      { type: 'error', code: 'failed', reason: { code: 'worker-busy', peer: 'page' } },
      { type: 'probe-result', device: 'gpu', ok: false, reason: { code: 'webgpu-missing' } },
    ]);
  });

  it("reports the engine's device fault, not what tfjs threw after it", async () => {
    const { port, sent, say } = fakePort();
    const lost = { code: 'webgpu-device-lost', detail: 'Device was lost' } as const;
    serveJobs(port, {
      peer: 'worker',
      prepare: async () => {
        throw new TypeError("Failed to execute 'mapAsync' on 'GPUBuffer'");
      },
      probe: async () => ({ type: 'error', reason: { code: 'no-reason' } }),
      fault: () => lost,
    });
    say({ type: 'start', config });
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toEqual({ type: 'error', code: 'engine-unavailable', reason: lost });
    expect(describeReason(lost)).toBe(
      'the GPU device was lost during the run (Device was lost): the driver reset or the GPU went away; try again',
    );
  });

  it('words the refusal by the server that refused', () => {
    expect(describeReason({ code: 'worker-busy', peer: 'page' })).toBe('this GPU page is already busy');
    expect(describeReason({ code: 'worker-busy', peer: 'worker' })).toBe('this worker is already busy');
  });

  it('errorCode', () => {
    expect(errorCode(new ConfigError('x'))).toBe('invalid-config');
    expect(errorCode('a string')).toBe('failed');
  });
});
