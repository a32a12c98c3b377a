/**
 * The training worker: one run per process, so a crash or a hung native library never takes the caller down.
 * It runs under Node's child_process.fork (CLI, tests) and under Electron's utilityProcess (the app) alike.
 */
import { SETTING_NAMES, validateConfig } from '../core/config';
import { loadMnist } from '../core/dataset';
import { setLanguage } from '../../shared/i18n';
import { defaultThreads, engineFault, initEngine, probeEngine, type EngineOptions } from '../engines';
import { serveJobs, type JobPort } from './job-server';
import type { ParentMessage, WorkerOptions } from './protocol';

/** The part of Electron's utilityProcess `process.parentPort` the worker uses (no 'electron' import here). */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connect(): JobPort {
  const electronPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data as ParentMessage)),
    };
  }
  if (!process.send) throw new Error('the training worker must be started with an IPC channel');
  return {
    // A parent that has gone (a second Ctrl+C stops the CLI at once) leaves nobody to tell: drop the message rather
    // than die of EPIPE with a stack trace on the user's terminal.
    send: (message) => {
      if (process.connected) process.send!(message, undefined, {}, () => undefined);
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as ParentMessage)),
  };
}

// A terminal's Ctrl+C sends SIGINT to the whole process group: the parent turns it into a cancel (the CLI prints
// "cancelled after N of M batches"), so the worker must not die of it first. Set before anything slow.
process.on('SIGINT', () => undefined);

const port = connect();

// With no parent left there is nobody to report to: stop rather than train on as an orphan.
process.on('disconnect', () => process.exit(0));

serveJobs(port, {
  peer: 'worker',
  async prepare(message, ready) {
    const options = message.options ?? {};
    // One job a process, so the language cannot change under a run's words.
    setLanguage(options.language ?? 'en');
    const names = { ...SETTING_NAMES, ...options.settingNames };
    const config = validateConfig(message.config, names);
    const engineStart = performance.now();
    const engine = await initEngine(config.device, { ...engineOptions(options), gpuEngine: config.gpuEngine });
    const engineStartMs = performance.now() - engineStart;
    ready(engine, engineStartMs);
    const dataStart = performance.now();
    const data = await loadMnist({
      dir: config.dataDir ?? options.defaultDataDir,
      limit: config.limit,
      testLimit: config.testLimit,
      names,
    });
    return {
      config,
      data,
      engine,
      batchSizeName: names.batchSize,
      gpuStep: options.gpuStep,
      setupTimings: { engineStartMs, dataLoadMs: performance.now() - dataStart },
    };
  },
  async probe({ device, gpuEngine = 'cuda', options = {} }) {
    const outcome = await probeEngine(device, { ...engineOptions(options), gpuEngine });
    return outcome.ok
      ? { type: 'probe-result', device, ok: true, engine: outcome.engine }
      : { type: 'probe-result', device, ok: false, reason: outcome.reason };
  },
  fault: engineFault,
});

/** The CPU engines get the whole CPU unless the parent asks otherwise: a run has this process to itself. */
function engineOptions(options: WorkerOptions): EngineOptions {
  return { ...options, threads: options.threads ?? defaultThreads() };
}
