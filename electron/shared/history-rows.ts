/**
 * The one check of a history row, field by field, shared by the history store (rows read from disk) and the
 * renderer (rows that reach the table): a row that passes can be shown, exported as CSV and drawn without a throw.
 * No Node imports: the renderer's project compiles this file too.
 *
 * Deliberately not the IPC request check: a row records what ran, so tightening a training limit later must not
 * turn old rows into "bad" ones. Losses may be null on disk: JSON writes NaN and Infinity (a diverged run) as null,
 * and the check turns them back into NaN so the in-memory type stays `number`.
 */
import { GPU_ENGINE_CHOICES } from '../training/core/config';
import type { RunRecord } from './ipc-contract';
import { RUN_ID_PATTERN } from './validate';
import { isReason, storedReason } from './reasons';

/** A row that failed the check: what was wrong with it, in one line naming the field. */
export class RowProblem extends Error {
  override name = 'RowProblem';
}

type Obj = Record<string, unknown>;

const STATUSES = ['running', 'done', 'cancelled', 'diverged', 'failed'];
const ENGINES = ['tfjs-node', 'tfjs-node-gpu', 'wasm', 'webgpu', 'webgl'];
const DEVICES = ['cpu', 'gpu'];
const TIMINGS = ['engineStartMs', 'dataLoadMs', 'warmupMs', 'trainingMs', 'evaluationMs'];
/** Longer text than this in a row is damage, not a hardware name or an error message. */
const MAX_TEXT = 100_000;
/**
 * Nested deeper than this, a row is damage (a real row is about 5 deep). Kept because extra keys survive a rewrite,
 * and JSON.stringify recurses: a row 100,000 lists deep would throw on the next write instead of being set aside.
 */
export const MAX_DEPTH = 64;

/**
 * Checks one row as read from JSON and returns it with null losses restored to NaN; unknown extra keys are kept as
 * they are (a newer version's fields survive a rewrite). Throws RowProblem naming the first bad field.
 */
export function checkRecord(raw: unknown): RunRecord {
  const o = object(raw, 'the row');
  if (deeperThan(o, MAX_DEPTH)) throw new RowProblem(`the row must be nested at most ${MAX_DEPTH} levels deep`);
  if (typeof o.id !== 'string' || !RUN_ID_PATTERN.test(o.id)) bad('id', o.id, 'a run id like "20250102-030405678-cpu-1a2b3c"');
  if (typeof o.startedAt !== 'string' || !Number.isFinite(Date.parse(o.startedAt))) bad('startedAt', o.startedAt, 'an ISO time');
  oneOf(o.status, STATUSES, 'status');
  oneOf(o.device, DEVICES, 'device');
  text(o.hardware, 'hardware');
  if (o.engine !== null) engine(o.engine);
  settings(o.settings);
  count(o.trainImages, 'trainImages');
  if (o.timings !== null) {
    const t = object(o.timings, 'timings');
    for (const key of TIMINGS) amount(t[key], `timings.${key}`);
  }
  for (const key of ['secondsPerEpoch', 'imagesPerSecond']) if (o[key] !== null) amount(o[key], key);
  if (o.finalLoss !== null && typeof o.finalLoss !== 'number') bad('finalLoss', o.finalLoss, 'a number or null');
  if (o.accuracy !== null) fraction(o.accuracy, 'accuracy');
  if (o.evaluation !== null) evaluation(o.evaluation);
  const epochs = list(o.epochs, 'epochs').map((e, i) => {
    const s = object(e, `epochs[${i}]`);
    positive(s.epoch, `epochs[${i}].epoch`);
    amount(s.ms, `epochs[${i}].ms`);
    amount(s.imagesPerSecond, `epochs[${i}].imagesPerSecond`);
    return { ...s, meanLoss: loss(s.meanLoss, `epochs[${i}].meanLoss`) };
  });
  const lossWindows = list(o.lossWindows, 'lossWindows').map((w, i) => {
    const s = object(w, `lossWindows[${i}]`);
    positive(s.epoch, `lossWindows[${i}].epoch`);
    positive(s.batch, `lossWindows[${i}].batch`);
    return { ...s, meanLoss: loss(s.meanLoss, `lossWindows[${i}].meanLoss`) };
  });
  const curve = list(o.curve, 'curve').map((p, i) => {
    const s = object(p, `curve[${i}]`);
    count(s.step, `curve[${i}].step`);
    if (s.ms !== undefined) amount(s.ms, `curve[${i}].ms`);
    return { ...s, loss: loss(s.loss, `curve[${i}].loss`) };
  });
  if (o.message !== null) text(o.message, 'message');
  if (o.reason !== undefined && !isReason(o.reason)) bad('reason', o.reason, 'a reason');
  if (typeof o.hasWeights !== 'boolean') bad('hasWeights', o.hasWeights, 'true or false');
  return { ...o, epochs, lossWindows, curve } as unknown as RunRecord;
}

function engine(raw: unknown): void {
  const e = object(raw, 'engine');
  oneOf(e.engine, ENGINES, 'engine.engine');
  oneOf(e.device, DEVICES, 'engine.device');
  text(e.backend, 'engine.backend');
  text(e.version, 'engine.version');
  for (const key of ['features', 'libtensorflow']) if (e[key] !== undefined) text(e[key], `engine.${key}`);
  // Rows from before reasons were codes hold words there: read as a 'words' reason, shown as they were.
  if (e.fallbackReason !== undefined) e.fallbackReason = storedReason(e.fallbackReason) ?? bad('engine.fallbackReason', e.fallbackReason, 'a reason');
  if (e.threads !== undefined) positive(e.threads, 'engine.threads');
  if (e.adapter !== undefined) {
    const a = object(e.adapter, 'engine.adapter');
    for (const key of ['vendor', 'name', 'api']) text(a[key], `engine.adapter.${key}`);
    if (typeof a.software !== 'boolean') bad('engine.adapter.software', a.software, 'true or false');
  }
}

function settings(raw: unknown): void {
  const s = object(raw, 'settings');
  oneOf(s.device, DEVICES, 'settings.device');
  if (s.gpuEngine !== undefined) oneOf(s.gpuEngine, GPU_ENGINE_CHOICES, 'settings.gpuEngine');
  positive(s.epochs, 'settings.epochs');
  positive(s.batchSize, 'settings.batchSize');
  if (typeof s.lr !== 'number' || !(s.lr > 0) || !Number.isFinite(s.lr)) bad('settings.lr', s.lr, 'a positive number');
  if (typeof s.momentum !== 'number' || !(s.momentum >= 0 && s.momentum < 1)) bad('settings.momentum', s.momentum, 'a number from 0 to below 1');
  count(s.seed, 'settings.seed');
  if (s.limit !== undefined) positive(s.limit, 'settings.limit');
  if (s.dataDir !== undefined) text(s.dataDir, 'settings.dataDir');
}

function evaluation(raw: unknown): void {
  const e = object(raw, 'evaluation');
  fraction(e.accuracy, 'evaluation.accuracy');
  count(e.count, 'evaluation.count');
  const perClass = list(e.perClassAccuracy, 'evaluation.perClassAccuracy');
  if (perClass.length !== 10) bad('evaluation.perClassAccuracy', perClass, '10 numbers');
  perClass.forEach((v, i) => fraction(v, `evaluation.perClassAccuracy[${i}]`));
  const confusion = list(e.confusion, 'evaluation.confusion');
  if (confusion.length !== 10) bad('evaluation.confusion', confusion, '10 rows');
  confusion.forEach((row, i) => {
    const cells = list(row, `evaluation.confusion[${i}]`);
    if (cells.length !== 10) bad(`evaluation.confusion[${i}]`, row, '10 counts');
    cells.forEach((v, j) => count(v, `evaluation.confusion[${i}][${j}]`));
  });
  if (e.mistakes === undefined) return;
  list(e.mistakes, 'evaluation.mistakes').forEach((m, i) => {
    const s = object(m, `evaluation.mistakes[${i}]`);
    count(s.index, `evaluation.mistakes[${i}].index`);
    digit(s.label, `evaluation.mistakes[${i}].label`);
    digit(s.predicted, `evaluation.mistakes[${i}].predicted`);
    fraction(s.probability, `evaluation.mistakes[${i}].probability`);
  });
}

/** Whether `value` nests objects or lists more than `limit` levels deep; a loop, not recursion, so any depth is safe. */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function bad(field: string, value: unknown, expected: string): never {
  throw new RowProblem(`${field} must be ${expected}, got ${show(value)}`);
}

function object(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(field, v, 'an object');
  return v as Obj;
}

function list(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) bad(field, v, 'a list');
  return v;
}

function text(v: unknown, field: string): void {
  if (typeof v !== 'string' || v.length > MAX_TEXT) bad(field, v, `text of at most ${MAX_TEXT} characters`);
}

function oneOf(v: unknown, allowed: readonly string[], field: string): void {
  if (typeof v !== 'string' || !allowed.includes(v)) bad(field, v, `one of ${allowed.join(', ')}`);
}

/** A duration, a rate or a size: finite and not negative. */
function amount(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(field, v, 'a number of at least 0');
}

function fraction(v: unknown, field: string): void {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad(field, v, 'a number from 0 to 1');
}

function count(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) bad(field, v, 'a whole number of at least 0');
}

function positive(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) bad(field, v, 'a whole number of at least 1');
}

function digit(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 9) bad(field, v, 'a digit class 0 to 9');
}

/** A loss: a number, or null where JSON stored NaN or Infinity. */
function loss(v: unknown, field: string): number {
  if (v === null) return Number.NaN;
  if (typeof v !== 'number') bad(field, v, 'a number or null');
  return v;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null || typeof v !== 'object') return String(v);
  return 'an object';
}
