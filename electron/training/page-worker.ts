/**
 * The GPU page's side of a run: the same message protocol as the worker process (worker.ts), spoken over whatever
 * port the page was given (Electron's preload bridge in the app, a Playwright binding in tests and the bench). Main
 * hands it the data, since the page has no file access; the loop, model and evaluation are the CPU's own code.
 */
import { validateConfig } from './config';
import { initBrowserEngine, probeBrowserEngines } from './engines/browser';
import { EngineUnavailableError, messageOf } from './engines/errors';
import { scaleSplit } from './pixels';
import type { MnistBytes, ParentMessage, WorkerMessage, WorkerOptions } from './protocol';
import { train, type TrainInput } from './train';

export interface PagePort {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: ParentMessage) => void): void;
}

/** Answers one start or probe on `port`, and cancel at any time; a second job is refused (one run a page). */
export function servePage(port: PagePort): void {
  const abort = new AbortController();
  let busy = false;
  port.onMessage((message) => {
    if (message.type === 'cancel') abort.abort();
    else if (busy) port.send({ type: 'error', message: 'this GPU page is already busy', code: 'failed' });
    else {
      busy = true;
      const job = message.type === 'start'
        ? run(port, message, abort.signal)
        : probe(port, message.options);
      job.catch((err: unknown) => port.send({
        type: 'error',
        message: messageOf(err),
        code: err instanceof EngineUnavailableError ? 'engine-unavailable' : 'failed',
      }));
    }
  });
}

async function run(port: PagePort, message: Extract<ParentMessage, { type: 'start' }>, signal: AbortSignal): Promise<void> {
  const config = validateConfig(message.config);
  if (config.device !== 'gpu') throw new Error('the GPU page trains GPU runs only');
  if (!message.data) throw new Error('the GPU page was started without data');
  const engineStart = performance.now();
  const engine = await initBrowserEngine(config.gpuEngine ?? 'auto', message.options ?? {});
  const engineStartMs = performance.now() - engineStart;
  port.send({ type: 'ready', engine, timings: { engineStartMs } });

  const { result, model } = await train({
    config,
    data: fromBytes(message.data),
    engine,
    signal,
    batchSource: 'device',
    setupTimings: { engineStartMs, dataLoadMs: message.dataLoadMs ?? 0 },
    reporter: {
      onProgress: (progress) => port.send({ type: 'progress', progress }),
      onLossWindow: (window) => port.send({ type: 'loss-window', window }),
      onEpoch: (summary) => port.send({ type: 'epoch', summary }),
    },
  });
  port.send({ type: 'done', result, model });
}

async function probe(port: PagePort, options: WorkerOptions = {}): Promise<void> {
  const browserEngines = await probeBrowserEngines(options);
  const best = browserEngines.webgpu.ok ? browserEngines.webgpu : browserEngines.webgl;
  port.send(best.ok
    ? { type: 'probe-result', device: 'gpu', ok: true, engine: best.engine, browserEngines }
    : { type: 'probe-result', device: 'gpu', ok: false, reason: best.reason, browserEngines });
}

function fromBytes(data: MnistBytes): TrainInput['data'] {
  return { train: scaleSplit(data.train), test: scaleSplit(data.test) };
}
