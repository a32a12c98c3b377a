/**
 * Main's gate for everything a training worker (a utility process, a forked Node process) or a GPU page (a hidden
 * window: a renderer, so not trusted) sends back: each message is checked, field by field, before main acts on it,
 * in the same way and with the same building blocks as the renderer's requests (validate.ts). A message that passes
 * is a fresh copy holding only the checked fields (the weights' Float32Arrays are kept, not copied); one that does
 * not is a MessageError naming the field, which ends that run (run-worker.ts) instead of throwing in main.
 */
import { ConfigError, validateConfig } from '../training/core/config';
import {
  MAX_MISTAKES,
  type BrowserEngineProbe, type EngineInfo, type EngineName, type EngineState, type EpochSummary, type Evaluation,
  type GpuAdapter, type LossWindow, type Progress, type RunResult, type RunStatus, type Timings, type TrainedModel,
  type WorkerMessage,
} from '../training/process/protocol';
import { checkWeights, type NamedTensor } from '../training/core/weights';
import { describeValue as describe } from './describe-value';
import { amount, bool, finite, fraction, list, oneOf, text, whole } from './validate-fields';
import { clipRefusal, fail, record, Refusal } from './validate';
import { checkedReason, type Reason } from './reasons';

export class MessageError extends Error {
  override name = 'MessageError';
}

/** The codes a worker's 'error' message may carry (run-worker's FailureKind, less what only main decides). */
export const WORKER_ERROR_CODES = ['engine-unavailable', 'invalid-config', 'dataset', 'failed'] as const;

const ENGINES: readonly EngineName[] = ['tfjs-node', 'tfjs-node-gpu', 'wasm', 'webgpu', 'webgl'];
const STATUSES: readonly RunStatus[] = ['done', 'cancelled', 'diverged', 'failed'];
const TIMINGS: readonly (keyof Timings)[] = ['engineStartMs', 'dataLoadMs', 'warmupMs', 'trainingMs', 'evaluationMs'];
/** The most threads Athanor asks for (engines/wasm/thread-count.ts MAX_THREADS; that file is Node-only). */
const MAX_THREADS = 1024;
/** The TF.js topology is a few kilobytes of JSON; far more is not a model of this network. */
const MAX_TOPOLOGY_CHARS = 1_000_000;

const KEYS: { [T in WorkerMessage['type']]: readonly string[] } = {
  ready: ['type', 'engine', 'timings'],
  progress: ['type', 'progress'],
  'loss-window': ['type', 'window'],
  epoch: ['type', 'summary'],
  done: ['type', 'result', 'model'],
  'probe-result': ['type', 'device', 'ok', 'engine', 'reason', 'browserEngines'],
  error: ['type', 'message', 'code', 'reason'],
};
const TYPES = Object.keys(KEYS) as WorkerMessage['type'][];

/**
 * Checks one message from a worker or GPU page. Returns the checked copy, or throws MessageError with one bounded
 * line: `a "done" message: result must be an object, got null`.
 */
export function checkWorkerMessage(raw: unknown): WorkerMessage {
  let what = 'a message';
  try {
    const type = messageType(raw);
    what = `${/^[aeiou]/.test(type) ? 'an' : 'a'} "${type}" message`;
    return workerMessage(record(raw, KEYS[type], 'it'));
  } catch (err) {
    // Our own refusals are already short; anything else (a getter or proxy trap that throws, a stack overflow) is
    // the message's fault, said in a bounded line rather than in the thrown thing's own words.
    const why = err instanceof Refusal ? err.message : 'it cannot be read (a getter or proxy in it throws)';
    throw new MessageError(clipRefusal(`${what}: ${why}`));
  }
}

/** The message's declared type, checked first: the keys it may have depend on it. */
function messageType(raw: unknown): WorkerMessage['type'] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`it must be an object, got ${describe(raw)}`);
  const desc = Object.getOwnPropertyDescriptor(raw, 'type');
  if (desc && !('value' in desc)) fail('its "type" must be a plain value');
  if (desc?.value === undefined) fail('it has no "type"');
  const type: unknown = desc.value;
  if (typeof type !== 'string' || !Object.hasOwn(KEYS, type)) {
    fail(`its type ${describe(type)} is not one of ${TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
  return type as WorkerMessage['type'];
}

function workerMessage(o: Record<string, unknown>): WorkerMessage {
  switch (o.type) {
    case 'ready': {
      const timings = record(o.timings, ['engineStartMs'], 'timings');
      return { type: 'ready', engine: engineInfo(o.engine, 'engine'), timings: { engineStartMs: amount(timings.engineStartMs, 'timings.engineStartMs') } };
    }
    case 'progress':
      return { type: 'progress', progress: progress(o.progress) };
    case 'loss-window':
      return { type: 'loss-window', window: lossWindow(o.window, 'window') };
    case 'epoch':
      return { type: 'epoch', summary: epochSummary(o.summary, 'summary') };
    case 'done':
      return { type: 'done', result: runResult(o.result), model: o.model === null ? null : trainedModel(o.model) };
    case 'probe-result':
      return probeResult(o);
    case 'error': {
      const message: Extract<WorkerMessage, { type: 'error' }> = { type: 'error', message: text(o.message, 'message') };
      if (o.code !== undefined) message.code = oneOf(o.code, WORKER_ERROR_CODES, 'code');
      if (o.reason !== undefined) message.reason = reason(o.reason, 'reason');
      return message;
    }
    default:
      return fail(`its type ${describe(o.type)} is not one Athanor knows`); // messageType let it through: cannot happen
  }
}

function probeResult(o: Record<string, unknown>): WorkerMessage {
  const device = oneOf(o.device, ['cpu', 'gpu'] as const, 'device');
  const ok = bool(o.ok, 'ok');
  const message: Extract<WorkerMessage, { type: 'probe-result' }> = { type: 'probe-result', device, ok };
  // The engine that loaded is what a ready probe is for; a refused one must say why.
  if (ok || o.engine !== undefined) message.engine = engineInfo(o.engine, 'engine');
  if (!ok || o.reason !== undefined) message.reason = reason(o.reason, 'reason');
  if (o.browserEngines !== undefined) message.browserEngines = browserEngines(o.browserEngines);
  return message;
}

function browserEngines(raw: unknown): BrowserEngineProbe {
  const o = record(raw, ['webgpu', 'webgl'], 'browserEngines');
  return { webgpu: engineState(o.webgpu, 'browserEngines.webgpu'), webgl: engineState(o.webgl, 'browserEngines.webgl') };
}

function engineState(raw: unknown, field: string): EngineState {
  const o = record(raw, ['ok', 'engine', 'reason', 'adapter'], field);
  if (bool(o.ok, `${field}.ok`)) {
    if (o.reason !== undefined || o.adapter !== undefined) fail(`${field} is ready, so it has an engine and nothing else`);
    return { ok: true, engine: engineInfo(o.engine, `${field}.engine`) };
  }
  if (o.engine !== undefined) fail(`${field} is not ready, so it has a reason and no engine`);
  const state: EngineState = { ok: false, reason: reason(o.reason, `${field}.reason`) };
  if (o.adapter !== undefined) state.adapter = adapter(o.adapter, `${field}.adapter`);
  return state;
}

function engineInfo(raw: unknown, field: string): EngineInfo {
  const o = record(raw, ['engine', 'device', 'backend', 'version', 'fallbackReason', 'features', 'libtensorflow', 'threads', 'adapter'], field);
  const info: EngineInfo = {
    engine: oneOf(o.engine, ENGINES, `${field}.engine`),
    device: oneOf(o.device, ['cpu', 'gpu'] as const, `${field}.device`),
    backend: text(o.backend, `${field}.backend`),
    version: text(o.version, `${field}.version`),
  };
  for (const key of ['features', 'libtensorflow'] as const) {
    if (o[key] !== undefined) info[key] = text(o[key], `${field}.${key}`);
  }
  if (o.fallbackReason !== undefined) info.fallbackReason = reason(o.fallbackReason, `${field}.fallbackReason`);
  if (o.threads !== undefined) info.threads = whole(o.threads, `${field}.threads`, 1, MAX_THREADS);
  if (o.adapter !== undefined) info.adapter = adapter(o.adapter, `${field}.adapter`);
  return info;
}

function reason(raw: unknown, field: string): Reason {
  return checkedReason(raw) ?? fail(`${field} must be a reason (a code with its data), got ${describe(raw)}`);
}

function adapter(raw: unknown, field: string): GpuAdapter {
  const o = record(raw, ['vendor', 'name', 'api', 'software'], field);
  return {
    vendor: text(o.vendor, `${field}.vendor`),
    name: text(o.name, `${field}.name`),
    api: text(o.api, `${field}.api`),
    software: bool(o.software, `${field}.software`),
  };
}

function progress(raw: unknown): Progress {
  const o = record(raw, ['epoch', 'epochs', 'batch', 'batchesPerEpoch', 'step', 'totalSteps', 'loss', 'imagesPerSecond', 'elapsedMs', 'etaMs'], 'progress');
  const epochs = whole(o.epochs, 'progress.epochs', 1);
  const batchesPerEpoch = whole(o.batchesPerEpoch, 'progress.batchesPerEpoch', 1);
  const totalSteps = whole(o.totalSteps, 'progress.totalSteps', 1);
  return {
    epoch: whole(o.epoch, 'progress.epoch', 1, epochs),
    epochs,
    batch: whole(o.batch, 'progress.batch', 1, batchesPerEpoch),
    batchesPerEpoch,
    step: whole(o.step, 'progress.step', 1, totalSteps),
    totalSteps,
    loss: finite(o.loss, 'progress.loss'),
    imagesPerSecond: amount(o.imagesPerSecond, 'progress.imagesPerSecond'),
    elapsedMs: amount(o.elapsedMs, 'progress.elapsedMs'),
    etaMs: amount(o.etaMs, 'progress.etaMs'),
  };
}

function lossWindow(raw: unknown, field: string): LossWindow {
  const o = record(raw, ['epoch', 'batch', 'meanLoss'], field);
  return { epoch: whole(o.epoch, `${field}.epoch`, 1), batch: whole(o.batch, `${field}.batch`, 1), meanLoss: finite(o.meanLoss, `${field}.meanLoss`) };
}

function epochSummary(raw: unknown, field: string): EpochSummary {
  const o = record(raw, ['epoch', 'meanLoss', 'ms', 'imagesPerSecond'], field);
  return {
    epoch: whole(o.epoch, `${field}.epoch`, 1),
    meanLoss: finite(o.meanLoss, `${field}.meanLoss`),
    ms: amount(o.ms, `${field}.ms`),
    imagesPerSecond: amount(o.imagesPerSecond, `${field}.imagesPerSecond`),
  };
}

function runResult(raw: unknown): RunResult {
  const o = record(raw, ['status', 'config', 'engine', 'timings', 'trainImages', 'batchesPerEpoch', 'epochs', 'lossWindows',
    'finalLoss', 'imagesPerSecond', 'evaluation', 'message'], 'result');
  let config;
  try {
    config = validateConfig(o.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    fail(`result.config: ${err.message}`);
  }
  const timings = record(o.timings, TIMINGS, 'result.timings');
  const result: RunResult = {
    status: oneOf(o.status, STATUSES, 'result.status'),
    config,
    engine: engineInfo(o.engine, 'result.engine'),
    timings: Object.fromEntries(TIMINGS.map((key) => [key, amount(timings[key], `result.timings.${key}`)])) as unknown as Timings,
    trainImages: whole(o.trainImages, 'result.trainImages', 0),
    batchesPerEpoch: whole(o.batchesPerEpoch, 'result.batchesPerEpoch', 0),
    epochs: list(o.epochs, 'result.epochs').map((e, i) => epochSummary(e, `result.epochs[${i}]`)),
    lossWindows: list(o.lossWindows, 'result.lossWindows').map((w, i) => lossWindow(w, `result.lossWindows[${i}]`)),
    finalLoss: o.finalLoss === null ? null : finite(o.finalLoss, 'result.finalLoss'),
    imagesPerSecond: amount(o.imagesPerSecond, 'result.imagesPerSecond'),
    evaluation: o.evaluation === null ? null : evaluation(o.evaluation),
  };
  if (o.message !== undefined) result.message = text(o.message, 'result.message');
  return result;
}

function evaluation(raw: unknown): Evaluation {
  const o = record(raw, ['accuracy', 'count', 'perClassAccuracy', 'confusion', 'mistakes'], 'result.evaluation');
  const perClass = list(o.perClassAccuracy, 'result.evaluation.perClassAccuracy', 10);
  const confusion = list(o.confusion, 'result.evaluation.confusion', 10);
  const out: Evaluation = {
    accuracy: fraction(o.accuracy, 'result.evaluation.accuracy'),
    count: whole(o.count, 'result.evaluation.count', 0),
    perClassAccuracy: perClass.map((v, i) => fraction(v, `result.evaluation.perClassAccuracy[${i}]`)),
    confusion: confusion.map((row, i) => list(row, `result.evaluation.confusion[${i}]`, 10)
      .map((v, j) => whole(v, `result.evaluation.confusion[${i}][${j}]`, 0))),
  };
  if (o.mistakes !== undefined) {
    const mistakes = list(o.mistakes, 'result.evaluation.mistakes');
    if (mistakes.length > MAX_MISTAKES) fail(`result.evaluation.mistakes has ${mistakes.length} entries; at most ${MAX_MISTAKES} are kept`);
    out.mistakes = mistakes.map((m, i) => {
      const field = `result.evaluation.mistakes[${i}]`;
      const s = record(m, ['index', 'label', 'predicted', 'probability'], field);
      return {
        index: whole(s.index, `${field}.index`, 0),
        label: whole(s.label, `${field}.label`, 0, 9),
        predicted: whole(s.predicted, `${field}.predicted`, 0, 9),
        probability: fraction(s.probability, `${field}.probability`),
      };
    });
  }
  return out;
}

function trainedModel(raw: unknown): TrainedModel {
  const o = record(raw, ['weights', 'topology'], 'model');
  const weights: NamedTensor[] = list(o.weights, 'model.weights').map((w, i) => {
    const field = `model.weights[${i}]`;
    const s = record(w, ['name', 'shape', 'data'], field);
    if (!(s.data instanceof Float32Array)) fail(`${field}.data must be a Float32Array, got ${describe(s.data)}`);
    return {
      name: text(s.name, `${field}.name`),
      shape: list(s.shape, `${field}.shape`).map((d, j) => whole(d, `${field}.shape[${j}]`, 1)),
      data: s.data,
    };
  });
  try {
    checkWeights(weights);
  } catch (err) {
    fail(`model.weights: ${(err as Error).message}`);
  }
  const topology = o.topology;
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology) || Object.getPrototypeOf(topology) !== Object.prototype) {
    fail(`model.topology must be a plain object, got ${describe(topology)}`);
  }
  // It is stored and exported as JSON: a cycle, a BigInt or megabytes of it would fail there, later and less clearly.
  let json: string;
  try {
    json = JSON.stringify(topology);
  } catch {
    fail('model.topology cannot be written as JSON (a cycle or a BigInt in it)');
  }
  if (json.length > MAX_TOPOLOGY_CHARS) fail(`model.topology is ${json.length.toLocaleString('en-US')} characters of JSON; a model of this network needs far fewer`);
  return { weights, topology: JSON.parse(json) as object };
}
