/**
 * The Node side of a GPU-page run: the page cannot read files, so the run's data is loaded here (the same loader
 * and checks as a worker's) and handed over with the start message, as bytes. Wraps any transport to a page:
 * Electron's hidden window in the app, a Playwright page in the tests and the bench.
 */
import { reasonOf } from '../../shared/reasons';
import { loadMnistBytes } from '../core/dataset';
import { errorCode } from './error-code';
import type { MnistBytesSplit, ParentMessage, WorkerMessage } from './protocol';
import type { WorkerTransport } from './worker-transport';

export interface PageRunOptions {
  /** MNIST folder when the config names none (the packaged app's resources). */
  defaultDataDir?: string;
}

/**
 * A page as a worker: the start message leaves with the run's data, loaded here (a dataset problem ends the run as
 * a 'dataset' error). The page's own messages pass through as they came, unchecked: startRun and probeEngine check
 * every message of every transport (shared/schema/messages.ts) and name the page as their sender (`peer`).
 */
export function withPageData(page: WorkerTransport, options: PageRunOptions = {}): WorkerTransport {
  const listeners: ((message: unknown) => void)[] = [];
  const emit = (message: WorkerMessage) => listeners.forEach((l) => l(message));
  page.onMessage((message) => listeners.forEach((l) => l(message)));
  return {
    peer: page.peer ?? 'page',
    send(message: ParentMessage) {
      if (message.type !== 'start') return page.send(message);
      const started = performance.now();
      loadMnistBytes({
        dir: message.config.dataDir ?? options.defaultDataDir,
        limit: message.config.limit,
        testLimit: message.config.testLimit,
      })
        .then((data) =>
          page.send({
            ...message,
            data: { train: plain(data.train), test: plain(data.test) },
            dataLoadMs: performance.now() - started,
          }),
        )
        .catch((err: unknown) => emit({ type: 'error', code: errorCode(err), reason: reasonOf(err) }));
    },
    onMessage: (listener) => listeners.push(listener),
    onExit: (listener) => page.onExit(listener),
    kill: () => page.kill(),
  };
}

/** Copies as plain Uint8Arrays: a loader may hand out Node Buffers, which a page's structured clone does not know. */
function plain(split: MnistBytesSplit): MnistBytesSplit {
  return { pixels: new Uint8Array(split.pixels), labels: new Uint8Array(split.labels), count: split.count };
}
