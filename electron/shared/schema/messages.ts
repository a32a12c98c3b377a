/**
 * What a training worker (a utility process, a forked Node process) or a GPU page (a hidden window: a renderer, so
 * not trusted) sends main, and main's check of each message before acting on it. A message that passes is a fresh
 * copy holding only the checked fields (the weights' Float32Arrays are kept, not copied); one that does not is a
 * MessageError naming the field, which ends that run (run-worker.ts) instead of throwing in main.
 */
import * as v from 'valibot';
import { describeValue as describe } from '../describe-value';
import { clipRefusal, fail, Refusal } from '../validate';
import { DEVICES } from './settings';
import { BrowserEngineProbeSchema, EngineInfoSchema, ReasonFieldSchema } from './engine';
import { amount, bool, issueText, oneOf, record, text } from './fields';
import { SweepDoneSchema, SweepPointSchema } from './sweep';
import { EpochSummarySchema, LossWindowSchema, ProgressSchema, RunResultSchema, TrainedModelSchema } from './results';

/**
 * The failure codes a worker's 'error' message may carry, which the parent acts on: settings it refuses, data it
 * cannot read, an engine that is not there, or anything else (run-worker's FailureKind, less what only main decides).
 */
export const WORKER_ERROR_CODES = ['engine-unavailable', 'invalid-config', 'dataset', 'failed'] as const;
export type WorkerErrorCode = (typeof WORKER_ERROR_CODES)[number];

const ProbeResultSchema = record(
  {
    type: v.literal('probe-result'),
    device: oneOf(DEVICES),
    ok: bool(),
    engine: v.optional(EngineInfoSchema),
    reason: v.optional(ReasonFieldSchema),
    /** The GPU page's answer: both browser engines. */
    browserEngines: v.optional(BrowserEngineProbeSchema),
  },
  // The engine that loaded is what a ready probe is for; a refused one must say why.
  (m) => (m.ok === true ? ['engine'] : m.ok === false ? ['reason'] : []),
);

/** Each message by its type. A change here is a change to what every worker and page may send. */
const MESSAGES = {
  ready: record({ type: v.literal('ready'), engine: EngineInfoSchema, timings: record({ engineStartMs: amount() }) }),
  progress: record({ type: v.literal('progress'), progress: ProgressSchema }),
  'loss-window': record({ type: v.literal('loss-window'), window: LossWindowSchema }),
  epoch: record({ type: v.literal('epoch'), summary: EpochSummarySchema }),
  done: record({ type: v.literal('done'), result: RunResultSchema, model: v.nullable(TrainedModelSchema) }),
  'probe-result': ProbeResultSchema,
  /** A batch-size sweep's timed point, as each is done; then its end, in place of 'done'. */
  'sweep-point': record({ type: v.literal('sweep-point'), point: SweepPointSchema }),
  'sweep-done': record({ type: v.literal('sweep-done'), sweep: SweepDoneSchema }),
  /**
   * Why the job failed, as a code with its data (`reason`), worded where it is shown; an error nothing foresaw is an
   * 'error' reason holding its own words. `message`: words alone, from a sender that has no reason to give.
   */
  error: record(
    {
      type: v.literal('error'),
      message: v.optional(text()),
      code: v.optional(oneOf(WORKER_ERROR_CODES)),
      reason: v.optional(ReasonFieldSchema),
    },
    (m) => (m.reason === undefined ? ['message'] : []),
  ),
};
const TYPES = Object.keys(MESSAGES) as (keyof typeof MESSAGES)[];

/** What a worker or GPU page sends its parent. */
export type WorkerMessage = v.InferOutput<(typeof MESSAGES)[keyof typeof MESSAGES]>;

export class MessageError extends Error {
  override name = 'MessageError';
}

/**
 * Checks one message from a worker or GPU page. Returns the checked copy, or throws MessageError with one bounded
 * line: `a "done" message: result must be an object, got null`.
 */
export function checkWorkerMessage(raw: unknown): WorkerMessage {
  let what = 'a message';
  try {
    const type = messageType(raw);
    what = `${/^[aeiou]/.test(type) ? 'an' : 'a'} "${type}" message`;
    const checked = v.safeParse(MESSAGES[type], raw, { abortEarly: true });
    if (!checked.success) fail(issueText(checked.issues[0], 'it'));
    return checked.output;
  } catch (err) {
    // Our own refusals are already short; anything else (a getter or proxy trap that throws, a stack overflow) is
    // the message's fault, said in a bounded line rather than in the thrown thing's own words.
    const why = err instanceof Refusal ? err.message : 'it cannot be read (a getter or proxy in it throws)';
    throw new MessageError(clipRefusal(`${what}: ${why}`));
  }
}

/** The message's declared type, checked first: the keys it may have depend on it. */
function messageType(raw: unknown): keyof typeof MESSAGES {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`it must be an object, got ${describe(raw)}`);
  const desc = Object.getOwnPropertyDescriptor(raw, 'type');
  if (desc && !('value' in desc)) fail('its "type" must be a plain value');
  if (desc?.value === undefined) fail('it has no "type"');
  const type: unknown = desc.value;
  if (typeof type !== 'string' || !Object.hasOwn(MESSAGES, type)) {
    fail(`its type ${describe(type)} is not one of ${TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
  return type as keyof typeof MESSAGES;
}
