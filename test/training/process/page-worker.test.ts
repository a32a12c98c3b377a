/** The GPU page's job server refuses, as codes, a start it cannot serve: a CPU run, a start without its data. */
import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../../electron/shared/i18n';
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

describe("the GPU page's words", () => {
  it('refuse settings in the language the start message asks for', async () => {
    const { port, sent, say } = fakePort();
    servePage(port);
    try {
      say({ type: 'start', config: { ...REFERENCE_CONFIG, device: 'gpu', epochs: 0 }, options: { language: 'zh-CN' } });
      await expect.poll(() => sent.length).toBe(1);
    } finally {
      setLanguage('en');
    }
    expect(sent[0]).toEqual({
      type: 'error',
      code: 'invalid-config',
      reason: { code: 'error', message: '训练设置无效：轮数 必须是 1 到 1000 之间的整数，收到的是 0' },
    });
  });
});
