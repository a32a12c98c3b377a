/**
 * Yields to the event loop so a cancel message can arrive between batches. In Node (worker, CLI, tests):
 * setImmediate, which runs after the poll phase, so the parent's IPC messages are read at every batch. A
 * MessageChannel there would starve them: Node drains up to 1,000 port messages in one go, and each yield posts the
 * next one, so a cancel (or Ctrl+C) waited 1,000 batches. In a page (the GPU engines' hidden Chromium): a
 * MessageChannel task, because a page has no setImmediate, and hidden pages throttle timers and
 * requestAnimationFrame (electron#31016), not message tasks. close() lets a Node process exit afterwards.
 */
export function createYield(): { yieldToEvents: () => Promise<void>; close: () => void } {
  if (typeof setImmediate === 'function') {
    return { yieldToEvents: () => new Promise<void>((resolve) => setImmediate(resolve)), close: () => undefined };
  }
  const { port1, port2 } = new MessageChannel();
  const waiting: (() => void)[] = [];
  // The DOM's and Node's MessagePort both take onmessage (which also starts the port); their types disagree.
  (port1 as unknown as { onmessage: () => void }).onmessage = () => waiting.shift()?.();
  return {
    yieldToEvents: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        port2.postMessage(null);
      }),
    close: () => {
      port1.close();
      port2.close();
    },
  };
}
