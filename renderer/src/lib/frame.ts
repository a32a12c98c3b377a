/**
 * Runs `flush` at most once per animation frame however often `schedule` is called: progress events can
 * arrive faster than the window paints, and each chart update costs a layout. `requestFrame` is
 * requestAnimationFrame in the page (a parameter, so this stays free of the DOM and testable in Node).
 */
export function createFrameScheduler(flush: () => void, requestFrame: (cb: () => void) => unknown) {
  let pending = false;
  return {
    schedule(): void {
      if (pending) return;
      pending = true;
      requestFrame(() => {
        pending = false;
        flush();
      });
    },
    get pending(): boolean {
      return pending;
    },
  };
}
