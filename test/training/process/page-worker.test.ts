/** The GPU page's job server refuses, as codes, a start it cannot serve: a CPU run, a start without its data. */
import { describe, expect, it } from 'vitest';
import { REFERENCE_CONFIG } from '../../../electron/training/core/config';
import { servePage } from '../../../electron/training/process/page-worker';
import type { ParentMessage, WorkerMessage } from '../../../electron/training/process/protocol';

function fakePort() {
  const sent: WorkerMessage[] = [];
  let listener: (m: ParentMessage) => void = () => undefined;
  return {
    sent,
    say: (m: ParentMessage) => listener(m),
    port: { send: (m: WorkerMessage) => sent.push(m), onMessage: (l: typeof listener) => (listener = l) },
  };
}

describe('the GPU page refuses a start it cannot serve', () => {
  it.each([
    ['a CPU run', { ...REFERENCE_CONFIG, device: 'cpu' as const }, { code: 'page-cpu-run' }],
    ['a GPU run without its data', { ...REFERENCE_CONFIG, device: 'gpu' as const }, { code: 'page-no-data' }],
  ])('%s', async (_name, config, reason) => {
    const { port, sent, say } = fakePort();
    servePage(port);
    say({ type: 'start', config });
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toEqual({ type: 'error', code: 'failed', reason });
  });
});
