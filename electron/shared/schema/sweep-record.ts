/**
 * A batch-size sweep as the app keeps it (sweeps.json beside the history) and sends it to the renderer: which
 * machine and engines it timed, when, and each side's points, skipped sizes and failure. Defined once: the types are
 * these schemas' outputs, and main checks every sweep it reads back with them. No Node imports.
 */
import * as v from 'valibot';
import { ReasonFieldSchema, EngineInfoSchema } from './engine';
import { describeValue as describe } from '../describe-value';
import { issueText, list, oneOf, record, text } from './fields';
import { DEVICES } from './settings';
import { SkippedSizeSchema, SweepPointSchema, SweepRequestSchema } from './sweep';

/** Start time (UTC, to the millisecond), "sweep" and 6 random hex digits; safe as a file name, as run ids are. */
export const SWEEP_ID_PATTERN = /^\d{8,10}-\d{9}-sweep-[0-9a-f]{6}$/;

const idWords = (issue: v.BaseIssue<unknown>) =>
  `must be a sweep id like "20250102-030405678-sweep-1a2b3c", got ${describe(issue.input)}`;
export const sweepId = () => v.pipe(text(), v.regex(SWEEP_ID_PATTERN, idWords));

export const SWEEP_STATUSES = ['done', 'cancelled', 'failed'] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/** Why one side of a sweep failed: a code worded by describe-reason.ts, never words made in main. */
export const SweepFailureSchema = record({ reason: ReasonFieldSchema });

/** One device's part of a sweep: the engine that timed it (null when it failed before starting) and its figures. */
export const SweepSideSchema = record({
  device: oneOf(DEVICES),
  engine: v.nullable(EngineInfoSchema),
  /** The CPU's model, or the GPU's name (a browser engine's adapter once it started). */
  hardware: text(),
  points: list(SweepPointSchema),
  skipped: list(SkippedSizeSchema),
  failure: v.optional(SweepFailureSchema),
});
export type SweepSide = v.InferOutput<typeof SweepSideSchema>;

export const SweepRecordSchema = record({
  id: sweepId(),
  /** ISO time. */
  startedAt: text(),
  status: oneOf(SWEEP_STATUSES),
  request: SweepRequestSchema,
  /** The machine's names when the sweep started (the history rows' HardwareNames). */
  machine: record({ cpu: text(), gpu: v.nullable(text()) }),
  /** In the order they were timed: the CPU first. */
  sides: list(SweepSideSchema),
});
export type SweepRecord = v.InferOutput<typeof SweepRecordSchema>;

/** `raw` as a sweep, or why not (the first issue, naming its field: `sides[0].points must be a list, got 3`). */
export function checkSweep(raw: unknown): { ok: true; sweep: SweepRecord } | { ok: false; problem: string } {
  const checked = v.safeParse(SweepRecordSchema, raw, { abortEarly: true });
  return checked.success
    ? { ok: true, sweep: checked.output }
    : { ok: false, problem: issueText(checked.issues[0], 'the sweep') };
}
