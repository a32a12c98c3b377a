import { describe, expect, it } from 'vitest';
import { createYield } from '../../../electron/training/core/yield-to-events';

describe('createYield', () => {
  it('lets a waiting event run at the next yield in Node, so a cancel message is never kept waiting', async () => {
    const { yieldToEvents, close } = createYield();
    let yields = 0;
    let dueAt = -1;
    let firedAt = -1;
    while (firedAt < 0 && yields < 5000) {
      if (yields === 3) {
        // An event that becomes due mid-run (a timer here; the parent's cancel message in a worker), while the
        // batch's synchronous work runs. The MessageChannel yield let it wait for Node's whole port drain:
        // about 1,000 yields.
        setTimeout(() => (firedAt = yields), 0);
        const until = performance.now() + 5;
        while (performance.now() < until);
        dueAt = yields;
      }
      await yieldToEvents();
      yields++;
    }
    close();
    expect(firedAt).toBeGreaterThanOrEqual(0);
    expect(firedAt - dueAt).toBeLessThanOrEqual(2);
  });
});
