/**
 * The training worker: one run per process, so a crash or a hung native library never takes the caller down.
 * It runs under Node's child_process.fork (CLI, tests) and under Electron's utilityProcess (the app) alike.
 */
import { ConfigError, SETTING_NAMES, validateConfig } from './config';
import { DatasetError, loadMnist } from './dataset';
import { EngineUnavailableError, defaultThreads, initEngine, probeEngine, type EngineOptions } from './engines';
import { messageOf } from './engines/errors';
import type { ParentMessage, WorkerMessage, WorkerOptions } from './protocol';
import { train } from './train';

interface Port {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: ParentMessage) => void): void;
}

/** The part of Electron's utilityProcess `process.parentPort` the worker uses (no 'electron' import here). */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function connect(): Port {
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
const abort = new AbortController();
let busy = false;

// With no parent left there is nobody to report to: stop rather than train on as an orphan.
process.on('disconnect', () => process.exit(0));

port.onMessage((message) => {
  if (message.type === 'cancel') abort.abort();
  else if (busy) port.send({ type: 'error', message: 'this worker is already busy', code: 'failed' });
  else {
    busy = true;
    const job = message.type === 'start' ? run(message.config, message.options) : probe(message.device, message.options);
    job.catch((err: unknown) => port.send(toError(err)));
  }
});

async function run(rawConfig: unknown, options: WorkerOptions = {}): Promise<void> {
  const names = { ...SETTING_NAMES, ...options.settingNames };
  const config = validateConfig(rawConfig, names);
  const engineStart = performance.now();
  const engine = await initEngine(config.device, { ...engineOptions(options), gpuEngine: config.gpuEngine });
  const engineStartMs = performance.now() - engineStart;
  port.send({ type: 'ready', engine, timings: { engineStartMs } });

  const dataStart = performance.now();
  const data = await loadMnist({
    dir: config.dataDir ?? options.defaultDataDir,
    limit: config.limit,
    testLimit: config.testLimit,
    names,
  });
  const dataLoadMs = performance.now() - dataStart;

  const { result, model } = await train({
    config,
    data,
    engine,
    signal: abort.signal,
    batchSizeName: names.batchSize,
    setupTimings: { engineStartMs, dataLoadMs },
    reporter: {
      onProgress: (progress) => port.send({ type: 'progress', progress }),
      onLossWindow: (window) => port.send({ type: 'loss-window', window }),
      onEpoch: (summary) => port.send({ type: 'epoch', summary }),
    },
  });
  port.send({ type: 'done', result, model });
}

async function probe(device: 'cpu' | 'gpu', options: WorkerOptions = {}): Promise<void> {
  const outcome = await probeEngine(device, engineOptions(options));
  port.send(outcome.ok
    ? { type: 'probe-result', device, ok: true, engine: outcome.engine }
    : { type: 'probe-result', device, ok: false, reason: outcome.reason });
}

/** The CPU engines get the whole CPU unless the parent asks otherwise: a run has this process to itself. */
function engineOptions(options: WorkerOptions): EngineOptions {
  return { ...options, threads: options.threads ?? defaultThreads() };
}

function toError(err: unknown): WorkerMessage {
  const message = messageOf(err);
  const code = err instanceof ConfigError ? 'invalid-config'
    : err instanceof DatasetError ? 'dataset'
    : err instanceof EngineUnavailableError ? 'engine-unavailable'
    : 'failed';
  return { type: 'error', message, code };
}
