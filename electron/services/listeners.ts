/**
 * The events a service pushes to whoever listens (the window's IPC forwarder, tests): a listener that throws is
 * reported and the others still hear the event, since one broken listener must not stop a run or a sweep.
 */
export class Listeners<E> {
  private readonly listeners = new Set<(event: E) => void>();

  /** `report`: where a listener's error goes (the service's onError, console.error by default). */
  constructor(private readonly report: (err: unknown) => void) {}

  /** Adds `listener`; returns the function that removes it. */
  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.report(err);
      }
    }
  }
}
