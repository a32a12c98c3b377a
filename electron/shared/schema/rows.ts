/**
 * The one check of a history row, made by main's history store on rows read from disk and on each row before it is
 * written (the renderer takes the rows main sends as checked): a row that passes can be shown, exported as CSV and
 * drawn without a throw. No Node imports: the renderer's project compiles this file too.
 *
 * Deliberately not the request check: a row records what ran, so tightening a training limit later must not turn
 * old rows into "bad" ones; unknown extra keys are kept (a newer version's fields survive a rewrite). Losses may be
 * null on disk: JSON writes NaN and Infinity (a diverged run) as null, and the check turns them back into NaN so the
 * in-memory type stays `number`. Its words are its own: they have named bad rows in history notices since rows began.
 */
import * as v from 'valibot';
import type { RunRecord, TrainRequest } from '../ipc-contract';
import { RUN_ID_PATTERN } from './ipc';
import { isReason, storedReason, type Reason } from '../reasons';
import { ENGINE_NAMES, printable } from './engine';
import { everyNested, fieldOf } from './fields';
import { RUN_STATUSES } from './results';
import { DEVICES, REQUEST_KEYS, SETTINGS, type SettingKey, type SettingSpec } from './settings';

/** A row that failed the check: what was wrong with it, in one line naming the field. */
export class RowProblem extends Error {
  override name = 'RowProblem';
}

/** Longer text than this in a row is damage, not a hardware name or an error message. */
const MAX_TEXT = 100_000;
/**
 * Nested deeper than this, a row is damage (a real row is about 5 deep). Kept because extra keys survive a rewrite,
 * and JSON.stringify recurses: a row 100,000 lists deep would throw on the next write instead of being set aside.
 */
export const MAX_DEPTH = 64;

/** A row's words for an issue: `must be a number of at least 0, got "12.5"`. */
const said = (phrase: string) => (issue: v.BaseIssue<unknown>) => `${phrase}, got ${show(issue.input)}`;
const must = (expected: string) => said(`must be ${expected}`);

/**
 * An object of `entries` that keeps any other keys as they are. A required key that is absent is named in its own
 * field's words (`hardware must be text of at most 100000 characters, got undefined`).
 */
function row<E extends v.ObjectEntries>(entries: E) {
  return v.looseObject(entries, (issue) => {
    const key = issue.path?.at(-1)?.key;
    if (typeof key !== 'string' || !Object.hasOwn(entries, key)) return must('an object')(issue);
    return v.safeParse(entries[key], undefined).issues?.[0].message ?? 'is missing';
  });
}

const text = () => {
  const words = must(`text of at most ${MAX_TEXT} characters`);
  return v.pipe(v.string(words), v.maxLength(MAX_TEXT, words));
};
const oneOf = <const T extends readonly string[]>(allowed: T) =>
  v.picklist(allowed, must(`one of ${allowed.join(', ')}`));
const bool = () => v.boolean(must('true or false'));
/** A whole number of at least `min` (0: a count, 1: an epoch or a batch). */
const whole = (min: number) => {
  const words = must(`a whole number of at least ${min}`);
  return v.pipe(v.number(words), v.safeInteger(words), v.minValue(min, words));
};
/** A duration, a rate or a size: finite and not negative. */
const amount = () => {
  const words = must('a number of at least 0');
  return v.pipe(v.number(words), v.finite(words), v.minValue(0, words));
};
const fraction = () => {
  const words = must('a number from 0 to 1');
  return v.pipe(v.number(words), v.minValue(0, words), v.maxValue(1, words));
};
const digit = () => {
  const words = must('a digit class 0 to 9');
  return v.pipe(v.number(words), v.integer(words), v.minValue(0, words), v.maxValue(9, words));
};
const list = <S extends v.GenericSchema>(item: S) => v.array(item, must('a list'));
/** A loss: any number (NaN too, as a diverged run holds in memory: v.number refuses NaN), or null. */
const lossOrNull = () => v.nullable(v.custom<number>((x) => typeof x === 'number', must('a number or null')));
/** A loss in a list: null, where JSON stored NaN or Infinity, is NaN again. */
const loss = () =>
  v.pipe(
    lossOrNull(),
    v.transform((n) => n ?? Number.NaN),
  );
/** The ten classes' values: a list of exactly ten. */
const tenOf = <S extends v.GenericSchema>(item: S, what: string) => v.pipe(list(item), v.length(10, must(what)));

/**
 * A reason as the row holds it, kept as written (a newer version's extra fields in it survive a rewrite); `words`:
 * text is accepted too, as rows from before reasons were codes hold it, and read as a 'words' reason.
 */
const reasonRow = (words: boolean) =>
  v.pipe(
    v.unknown(),
    v.rawTransform<unknown, Reason>(({ dataset: { value }, addIssue, NEVER }) => {
      const reason = !printable(value) ? null : words ? storedReason(value) : isReason(value) ? value : null;
      if (reason) return reason;
      addIssue({ message: `must be a reason, got ${show(value)}`, received: typeof value });
      return NEVER;
    }),
  );

const AdapterRow = row({ vendor: text(), name: text(), api: text(), software: bool() });
const EngineRow = row({
  engine: oneOf(ENGINE_NAMES),
  device: oneOf(DEVICES),
  backend: text(),
  version: text(),
  fallbackReason: v.optional(reasonRow(true)),
  features: v.optional(text()),
  libtensorflow: v.optional(text()),
  threads: v.optional(whole(1)),
  adapter: v.optional(AdapterRow),
});
/**
 * The settings every row has held since rows began: a row without one is damage. A setting added later is absent
 * from older rows, which ran as its default does, so there it reads as its default.
 */
const ALWAYS_IN_ROWS: readonly SettingKey[] = ['device', 'epochs', 'batchSize', 'lr', 'momentum', 'seed'];

/**
 * One setting's row check: a picklist as a picklist, a whole number without its upper bound (a row records what
 * ran: a tighter training limit later must not make old rows bad), text as text, a number by its own schema in
 * its row words (`rowMust`, where a row has said it otherwise since rows began).
 */
function settingRow(key: SettingKey) {
  const spec: SettingSpec = SETTINGS[key];
  const check =
    spec.schema.type === 'picklist'
      ? oneOf(spec.schema.options as readonly string[])
      : 'whole' in spec && spec.whole
        ? whole(spec.min)
        : spec.schema.type === 'string'
          ? text()
          : v.custom<number>((x) => v.is(spec.schema, x), said('rowMust' in spec ? spec.rowMust : spec.must));
  if (ALWAYS_IN_ROWS.includes(key)) return check;
  return 'default' in spec ? v.optional(check, spec.default) : v.optional(check);
}
const SettingsRow = v.pipe(
  row(Object.fromEntries(REQUEST_KEYS.map((key) => [key, settingRow(key)]))),
  // Each key's check is its setting's own (settingRow), so what passes is the request those settings make up.
  v.transform((settings) => settings as typeof settings & TrainRequest),
);
const EvaluationRow = row({
  accuracy: fraction(),
  count: whole(0),
  perClassAccuracy: tenOf(fraction(), '10 numbers'),
  confusion: tenOf(tenOf(whole(0), '10 counts'), '10 rows'),
  mistakes: v.optional(list(row({ index: whole(0), label: digit(), predicted: digit(), probability: fraction() }))),
});
const TIMINGS = ['engineStartMs', 'dataLoadMs', 'warmupMs', 'trainingMs', 'evaluationMs'] as const;

const RecordRow = row({
  id: v.pipe(
    v.string(must('a run id like "20250102-030405678-cpu-1a2b3c"')),
    v.regex(RUN_ID_PATTERN, must('a run id like "20250102-030405678-cpu-1a2b3c"')),
  ),
  startedAt: v.pipe(
    v.string(must('an ISO time')),
    v.check((s) => Number.isFinite(Date.parse(s)), must('an ISO time')),
  ),
  status: oneOf(['running', ...RUN_STATUSES]),
  device: oneOf(DEVICES),
  hardware: text(),
  engine: v.nullable(EngineRow),
  settings: SettingsRow,
  trainImages: whole(0),
  timings: v.nullable(
    row(
      Object.fromEntries(TIMINGS.map((key) => [key, amount()])) as Record<
        (typeof TIMINGS)[number],
        ReturnType<typeof amount>
      >,
    ),
  ),
  secondsPerEpoch: v.nullable(amount()),
  imagesPerSecond: v.nullable(amount()),
  finalLoss: lossOrNull(),
  accuracy: v.nullable(fraction()),
  evaluation: v.nullable(EvaluationRow),
  epochs: list(row({ epoch: whole(1), ms: amount(), imagesPerSecond: amount(), meanLoss: loss() })),
  lossWindows: list(row({ epoch: whole(1), batch: whole(1), meanLoss: loss() })),
  curve: list(row({ step: whole(0), ms: v.optional(amount()), loss: loss() })),
  message: v.nullable(text()),
  /** How a run that did not finish ended, as a code (every row written since run ends became codes). */
  reason: v.optional(reasonRow(false)),
  hasWeights: bool(),
});

/** `T` without the index signatures of valibot's loose objects (the extra keys a row keeps): the fields it checks. */
type Checked<T> = T extends readonly (infer U)[]
  ? Checked<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Checked<T[K]> }
    : T;

/**
 * Checks one row as read from JSON and returns it with null losses restored to NaN; unknown extra keys are kept as
 * they are. Throws RowProblem naming the first bad field.
 */
export function checkRecord(raw: unknown): RunRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RowProblem(`the row must be an object, got ${show(raw)}`);
  if (deeperThan(raw, MAX_DEPTH)) throw new RowProblem(`the row must be nested at most ${MAX_DEPTH} levels deep`);
  const checked = v.safeParse(RecordRow, raw, { abortEarly: true });
  if (!checked.success) throw new RowProblem(`${fieldOf(checked.issues[0]) || 'the row'} ${checked.issues[0].message}`);
  // No cast: the check's output is a RunRecord field for field, so a schema that drifts from the type (a field
  // missing, another type, a status the type lacks) fails npm run typecheck. The extra keys a row keeps are untyped.
  const row: Checked<v.InferOutput<typeof RecordRow>> = checked.output;
  return row;
}

/** Whether `value` nests objects or lists more than `limit` levels deep; a loop, not recursion, so any depth is safe. */
export function deeperThan(value: unknown, limit: number): boolean {
  return !everyNested(value, (x, depth) => typeof x !== 'object' || x === null || depth <= limit);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null || typeof v !== 'object') return String(v);
  return 'an object';
}
