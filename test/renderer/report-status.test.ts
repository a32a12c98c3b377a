import { describe, expect, it } from 'vitest';
import { statusText } from '../../renderer/src/lib/report-html';
import { makeRecord } from './fixtures';

describe("the report's status line", () => {
  it("words a run's end from its code, the status word once; an older row's words as stored", () => {
    expect(statusText(makeRecord({ id: 'a', device: 'cpu' }))).toBe('done');
    expect(
      statusText(
        makeRecord({
          id: 'a',
          device: 'cpu',
          status: 'cancelled',
          message: null,
          reason: { code: 'run-cancelled', step: 9, totalSteps: 300 },
        }),
      ),
    ).toBe('cancelled after 9 of 300 batches');
    expect(
      statusText(
        makeRecord({ id: 'a', device: 'gpu', status: 'failed', message: null, reason: { code: 'page-closed' } }),
      ),
    ).toBe('failed: the GPU page was closed');
    expect(
      statusText(makeRecord({ id: 'a', device: 'cpu', status: 'failed', message: 'ENOSPC: no space left on device' })),
    ).toBe('failed: ENOSPC: no space left on device');
  });
});
