/**
 * The GPU page's side of a run: the same message protocol as the worker process (worker.ts), spoken over whatever
 * port the page was given (Electron's preload bridge in the app, a Playwright binding in tests and the bench). Main
 * hands it the data, since the page has no file access; the loop, model and evaluation are the CPU's own code.
 */
import { setLanguage } from '../../shared/i18n';
import { validateConfig } from '../core/config';
import { ReasonError } from '../engines/errors';
import { initBrowserEngine, probeBrowserEngines } from '../engines/browser';
import { serveJobs, type JobPort } from './job-server';
import { scaleSplit } from '../core/pixels';
import type { MnistBytes } from './protocol';
import type { TrainInput } from '../core/train';

export type PagePort = JobPort;

/** Answers one start or probe on `port`, and cancel at any time; a second job is refused (one run a page). */
export function servePage(port: PagePort): void {
  serveJobs(port, {
    peer: 'page',
    async prepare(message, ready) {
      // The page's own words (refused settings) in the language of the run's start, as a worker's are.
      setLanguage(message.options?.language ?? 'en');
      const config = validateConfig(message.config);
      if (config.device !== 'gpu') throw new ReasonError({ code: 'page-cpu-run' });
      if (!message.data) throw new ReasonError({ code: 'page-no-data' });
      const engineStart = performance.now();
      const engine = await initBrowserEngine(config.gpuEngine ?? 'auto', message.options ?? {});
      const engineStartMs = performance.now() - engineStart;
      ready(engine, engineStartMs);
      return {
        config,
        data: fromBytes(message.data),
        engine,
        batchSource: 'device',
        setupTimings: { engineStartMs, dataLoadMs: message.dataLoadMs ?? 0 },
      };
    },
    async probe({ options = {} }) {
      const browserEngines = await probeBrowserEngines(options);
      const best = browserEngines.webgpu.ok ? browserEngines.webgpu : browserEngines.webgl;
      return best.ok
        ? { type: 'probe-result', device: 'gpu', ok: true, engine: best.engine, browserEngines }
        : { type: 'probe-result', device: 'gpu', ok: false, reason: best.reason, browserEngines };
    },
  });
}

function fromBytes(data: MnistBytes): TrainInput['data'] {
  return { train: scaleSplit(data.train), test: scaleSplit(data.test) };
}
