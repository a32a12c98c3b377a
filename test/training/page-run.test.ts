import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../electron/training/dataset';
import { isWorkerMessage, withPageData } from '../../electron/training/page-run';
import { bytesToPixels } from '../../electron/training/pixels';
import type { ParentMessage, WorkerMessage } from '../../electron/training/protocol';
import type { ExitInfo, WorkerTransport } from '../../electron/training/run-worker';

function fakePage() {
  const sent: ParentMessage[] = [];
  const listeners: ((m: WorkerMessage) => void)[] = [];
  const page: WorkerTransport & { say(m: unknown): void } = {
    send: (m) => sent.push(m),
    onMessage: (l) => listeners.push(l),
    onExit: (_l: (info: ExitInfo) => void) => undefined,
    kill: () => undefined,
    say: (m) => listeners.forEach((l) => l(m as WorkerMessage)),
  };
  return { page, sent };
}

const config = { device: 'gpu' as const, epochs: 1, batchSize: 64, lr: 0.01, momentum: 0.9, seed: 1, limit: 100, testLimit: 50 };

describe('a GPU page run gets its data from main', () => {
  it('as bytes that turn back into exactly the pixels a worker trains on, with plain Uint8Array labels', async () => {
    const { page, sent } = fakePage();
    withPageData(page).send({ type: 'start', config });
    await expect.poll(() => sent.length).toBe(1);
    const start = sent[0] as Extract<ParentMessage, { type: 'start' }>;
    const want = await loadMnist({ limit: 100, testLimit: 50 });
    expect(start.data!.train.count).toBe(100);
    expect(start.data!.test.count).toBe(50);
    expect(start.data!.train.labels.constructor).toBe(Uint8Array);
    expect(start.data!.train.pixels.constructor).toBe(Uint8Array);
    expect(Array.from(start.data!.train.labels)).toEqual(Array.from(want.train.labels));
    expect(bytesToPixels(start.data!.train.pixels)).toEqual(want.train.images);
    expect(bytesToPixels(start.data!.test.pixels)).toEqual(want.test.images);
    expect(start.dataLoadMs).toBeGreaterThan(0);
  });

  it('a dataset problem ends the run as a dataset error; other messages pass through untouched', async () => {
    const { page, sent } = fakePage();
    const run = withPageData(page);
    const heard: WorkerMessage[] = [];
    run.onMessage((m) => heard.push(m));
    run.send({ type: 'start', config: { ...config, dataDir: '/nonexistent/athanor-mnist' } });
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toMatchObject({ type: 'error', code: 'dataset' });
    expect(sent).toEqual([]);
    run.send({ type: 'cancel' });
    expect(sent).toEqual([{ type: 'cancel' }]);
  });

  it('a page message outside the protocol is refused as such', () => {
    const { page } = fakePage();
    const run = withPageData(page);
    const heard: WorkerMessage[] = [];
    run.onMessage((m) => heard.push(m));
    page.say({ type: 'progress', progress: {} });
    page.say({ type: 'rm -rf' });
    page.say(null);
    expect(heard.map((m) => m.type)).toEqual(['progress', 'error', 'error']);
    expect(isWorkerMessage({ type: 'done' })).toBe(true);
    expect(isWorkerMessage('done')).toBe(false);
  });
});
