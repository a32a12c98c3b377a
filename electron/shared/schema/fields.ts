/**
 * The kinds of field the messages between processes hold, as valibot schemas whose issues carry their own words
 * (`must be a whole number from 1 to 5, got 6`), plus `record`, the plain-object gate every object passes first,
 * and `issueText`, which puts the field's name in front. No Node imports: the renderer's project compiles this.
 * The factories are marked free of side effects, as valibot's own are: a bundle then drops the schemas it never uses.
 */
import * as v from 'valibot';
import { describeValue as describe, keyList } from '../describe-value';

/** Longer text is damage, not an engine name or an error message; the same bound as a history row's. */
export const MAX_TEXT = 100_000;

/**
 * Whether `test` holds for `value` and every value nested in it (the own values of its objects and lists), visited
 * depth first with its depth (1 for `value`) and how many values were visited before it; stops at the first that
 * fails. A loop, not recursion, so any depth is safe.
 */
export function everyNested(value: unknown, test: (x: unknown, depth: number, seen: number) => boolean): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let seen = 0; stack.length > 0; seen++) {
    const [x, depth] = stack.pop()!;
    if (!test(x, depth, seen)) return false;
    if (typeof x === 'object' && x !== null) for (const child of Object.values(x)) stack.push([child, depth + 1]);
  }
  return true;
}

/** Words for an issue: what the value must be, then what came instead. */
const must = (what: string) => (issue: v.BaseIssue<unknown>) => `must be ${what}, got ${describe(issue.input)}`;

/**
 * `schema`, with a BigInt of more than 20 digits or text longer than MAX_TEXT refused first, in `words`. valibot
 * prints every refused value into its issue (`received`), and printing a BigInt of millions of digits takes seconds
 * of main's time; describeValue shows such a one without printing it, so it is refused here before valibot sees it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function guarded<S extends v.GenericSchema>(
  words: string | ((issue: v.BaseIssue<unknown>) => string),
  schema: S,
) {
  const huge = v.rawCheck<unknown>(({ dataset: { value }, addIssue }) => {
    if (typeof value === 'bigint' && (value >= 10n ** 20n || value <= -(10n ** 20n)))
      addIssue({ message: words, received: 'BigInt' });
    // Too long for any field: refused without valibot's copy of it (tens of megabytes of main's memory).
    if (typeof value === 'string' && value.length > MAX_TEXT) addIssue({ message: words, received: 'string' });
  });
  return v.pipe(v.unknown(), huge, schema);
}

export const text = /* @__NO_SIDE_EFFECTS__ */ () => {
  const words = must(`text of at most ${MAX_TEXT.toLocaleString('en-US')} characters`);
  return guarded(words, v.pipe(v.string(words), v.maxLength(MAX_TEXT, words)));
};
export const bool = /* @__NO_SIDE_EFFECTS__ */ () => guarded(must('true or false'), v.boolean(must('true or false')));
export const oneOf = /* @__NO_SIDE_EFFECTS__ */ <const T extends readonly string[]>(allowed: T) => {
  const words = must(`one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return guarded(words, v.picklist(allowed, words));
};

/** A whole number from `min` to `max` (a safe integer where no `max` is given). */
/* @__NO_SIDE_EFFECTS__ */
export function whole(min: number, max?: number) {
  const words = must(`a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`);
  const atLeast = v.pipe(v.number(words), v.safeInteger(words), v.minValue(min, words));
  return guarded(words, max === undefined ? atLeast : v.pipe(atLeast, v.maxValue(max, words)));
}

/** A loss: any finite number (a NaN or infinite loss ends a run as diverged before it is reported). */
export const finite = /* @__NO_SIDE_EFFECTS__ */ () => {
  const words = must('a finite number');
  return guarded(words, v.pipe(v.number(words), v.finite(words)));
};

/** A duration or a rate: finite and not negative. */
export const amount = /* @__NO_SIDE_EFFECTS__ */ () => {
  const words = must('a finite number of at least 0');
  return guarded(words, v.pipe(v.number(words), v.finite(words), v.minValue(0, words)));
};

export const fraction = /* @__NO_SIDE_EFFECTS__ */ () => {
  const words = must('a number from 0 to 1');
  return guarded(words, v.pipe(v.number(words), v.minValue(0, words), v.maxValue(1, words)));
};

/** A list of `item`s; exactly `length` of them when given. */
/* @__NO_SIDE_EFFECTS__ */
export function list<S extends v.GenericSchema>(item: S, length?: number) {
  const schema = guarded(must('a list'), v.array(item, must('a list')));
  if (length === undefined) return schema;
  return v.pipe(
    schema,
    v.length(length, (issue) => `must have ${length} entries, got ${(issue.input as unknown[]).length}`),
  );
}

/** Marks the one issue worded with its whole path in quotes: a getter where a value belongs. */
const PLAIN_VALUE = 'a plain value';

/**
 * A plain object with no keys outside `entries` ("__proto__" or "constructor" sent as data count as unknown), read
 * as a fresh null-prototype copy before its fields are checked, so a getter is refused rather than run, and a key
 * holding undefined counts as absent (as a structured clone may send it). A required key that is absent is copied
 * as undefined, so its own check names it (`timings must be an object, got undefined`). `requires`: the optional
 * keys this object must have, given its copy (a ready engine needs its `engine`), named before any field is checked.
 */
/* @__NO_SIDE_EFFECTS__ */
export function record<E extends v.ObjectEntries>(
  entries: E,
  requires?: (copy: Record<string, unknown>) => (keyof E & string)[],
) {
  const allowed = Object.keys(entries);
  const required = allowed.filter((key) => entries[key].type !== 'optional');
  const copy = v.rawTransform<unknown, Record<string, unknown>>(({ dataset, addIssue, NEVER }) => {
    const input = dataset.value;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      // `received` given: valibot would print the value (a huge BigInt, say) to fill it in.
      addIssue({ message: `must be an object, got ${describe(input)}`, received: typeof input });
      return NEVER;
    }
    const proto = Object.getPrototypeOf(input);
    if (proto !== Object.prototype && proto !== null) {
      addIssue({ message: 'must be a plain object' });
      return NEVER;
    }
    const keys = Reflect.ownKeys(input).filter((k) => {
      const desc = Object.getOwnPropertyDescriptor(input, k)!;
      return !('value' in desc) || desc.value !== undefined;
    });
    const unknown = keys.filter((k) => typeof k !== 'string' || !allowed.includes(k));
    if (unknown.length > 0) {
      addIssue({ message: `has unknown key${unknown.length > 1 ? 's' : ''} ${keyList(unknown)}` });
      return NEVER;
    }
    const out: Record<string, unknown> = Object.create(null);
    for (const key of allowed) {
      const desc = Object.getOwnPropertyDescriptor(input, key);
      if (desc && !('value' in desc)) {
        addIssue({ expected: PLAIN_VALUE, path: [at(key)] });
        return NEVER;
      }
      if (desc?.value !== undefined || required.includes(key)) out[key] = desc?.value;
    }
    const missing = requires?.(out).find((key) => out[key] === undefined);
    if (missing === undefined) return out;
    const schema = entries[missing];
    addIssue(absent(missing, 'wrapped' in schema ? (schema.wrapped as v.GenericSchema) : schema));
    return NEVER;
  });
  return v.pipe(v.unknown(), copy, v.object(entries));
}

/** `result.evaluation.confusion[3][4]`: the issue's path as a field name; '' for the value itself. */
export function fieldOf(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? [])
    .map((item, i) => {
      const key = (item as { key: unknown }).key;
      return typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`;
    })
    .join('');
}

/**
 * One issue as a line that names its field: `progress.batch must be a whole number from 1 to 938, got 1.5`. `root`
 * names the value itself (`it has unknown key "x"`); '' leaves it unnamed. A message that starts with ':' follows
 * the name directly.
 */
export function issueText(issue: v.BaseIssue<unknown>, root: string): string {
  const field = fieldOf(issue);
  if (issue.expected === PLAIN_VALUE)
    return `"${issue.path!.length === 1 && root ? `${root}.` : ''}${field}" must be a plain value`;
  // An unnamed root (an IPC argument) speaks of itself without a subject: `expects an object`, `unknown key "x"`.
  if (!field && !root) return issue.message.replace(/^must be /, 'expects ').replace(/^has /, '');
  const name = field || root;
  return issue.message.startsWith(':') ? `${name}${issue.message}` : `${name} ${issue.message}`;
}

/**
 * The issue of a field that must be there in this case but is absent (a ready engine's `engine`), in the field's
 * own words: `engine must be an object, got undefined`. For a raw check's `addIssue`.
 */
export function absent(key: string, schema: v.GenericSchema) {
  const words = v.safeParse(schema, undefined).issues?.[0].message ?? 'is missing';
  return { message: words, path: [at(key)] as [v.ObjectPathItem] };
}

/** The path item of `key` in an object: where an object-level check's issue points. */
export function at(key: string, input: Record<string, unknown> = {}): v.ObjectPathItem {
  return { type: 'object', origin: 'value', input, key, value: input[key] };
}
