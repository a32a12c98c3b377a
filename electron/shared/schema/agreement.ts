/**
 * What `history:agreement` answers (issue 16, "Same maths on both"): the figures of shared/agreement.ts, or why they
 * cannot be computed, as a code with its data that the renderer words (renderer/src/lib/agreement-words.ts). Main
 * checks its answer against this schema before sending it; the contract's types are inferred from it. No Node imports.
 */
import * as v from 'valibot';

/** A gap: >= 0, Infinity where a run diverged (NaN in its weights or losses). */
const gap = v.pipe(v.number(), v.minValue(0));
const accuracy = v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1)));

export const AgreementSchema = v.strictObject({
  differentSettings: v.array(v.string()),
  weights: v.array(v.strictObject({ name: v.string(), maxAbsDiff: gap, maxAbs: gap })),
  maxWeightDiff: gap,
  loss: v.nullable(
    v.strictObject({
      epoch: v.pipe(v.number(), v.integer()),
      batch: v.pipe(v.number(), v.integer()),
      gap,
      windows: v.pipe(v.number(), v.integer(), v.minValue(1)),
    }),
  ),
  accuracy: v.tuple([accuracy, accuracy]),
});

/** Why two runs' figures cannot be compared; `id` names the run at fault. */
export const AgreementProblemSchema = v.variant('code', [
  v.strictObject({ code: v.literal('same-run') }),
  v.strictObject({ code: v.literal('run-unknown'), id: v.string() }),
  /** Only finished runs keep weights: a failed, cancelled or running one has none. */
  v.strictObject({ code: v.literal('no-weights'), id: v.string(), status: v.string() }),
  /** The weights files are missing, unreadable or not this network's: `detail` is the store's own line. */
  v.strictObject({
    code: v.literal('weights-unreadable'),
    id: v.string(),
    detail: v.pipe(v.string(), v.maxLength(2000)),
  }),
]);

export const AgreementResultSchema = v.variant('ok', [
  v.strictObject({ ok: v.literal(true), agreement: AgreementSchema }),
  v.strictObject({ ok: v.literal(false), problem: AgreementProblemSchema }),
]);

export type AgreementProblem = v.InferOutput<typeof AgreementProblemSchema>;
export type AgreementResult = v.InferOutput<typeof AgreementResultSchema>;
