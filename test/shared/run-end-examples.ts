/** One reason of every code that ends a run (reasons.ts's RUN_END_SCHEMAS), with the words users are shown. */
import type { Reason, RunEndReason } from '../../electron/shared/reasons';

type Example<C extends RunEndReason['code']> = { reason: Extract<Reason, { code: C }>; words: string };

export const RUN_END_EXAMPLES: { [C in RunEndReason['code']]: Example<C> } = {
  'worker-exited': {
    reason: { code: 'worker-exited', exitCode: 134 },
    words: 'the training process exited unexpectedly with code 134',
  },
  'worker-killed': {
    reason: { code: 'worker-killed', signal: 'SIGKILL' },
    words: 'the training process was killed by SIGKILL (out of memory, or killed by the system)',
  },
  'page-crashed': {
    reason: { code: 'page-crashed', why: 'crashed', exitCode: 139 },
    words: "the GPU page's process ended (crashed, exit code 139)",
  },
  'page-hung': { reason: { code: 'page-hung', seconds: 30 }, words: 'the GPU page stopped responding for 30 s' },
  'page-closed': { reason: { code: 'page-closed' }, words: 'the GPU page was closed' },
  'page-load-failed': {
    reason: { code: 'page-load-failed', detail: 'ERR_FILE_NOT_FOUND' },
    words: 'the GPU page did not load: ERR_FILE_NOT_FOUND',
  },
  'run-cancelled': {
    reason: { code: 'run-cancelled', step: 9, totalSteps: 300 },
    words: 'cancelled after 9 of 300 batches',
  },
  'run-cancelled-before-start': {
    reason: { code: 'run-cancelled-before-start' },
    words: 'cancelled before it started',
  },
  'run-stopped': { reason: { code: 'run-stopped' }, words: 'the training process was stopped' },
  'run-interrupted': { reason: { code: 'run-interrupted' }, words: 'the app closed before this run finished' },
  'loss-exploded': {
    reason: { code: 'loss-exploded', epoch: 1, batch: 37, loss: 1.7121037565317164e24, limit: 10 * Math.log(10) },
    words:
      'training diverged: the loss reached 1.71e+24, more than 10 x ln 10 = 23.0 at epoch 1, batch 37: try a lower learning rate',
  },
  'loss-stuck': {
    reason: {
      code: 'loss-stuck',
      epoch: 1,
      fromBatch: 401,
      toBatch: 500,
      meanLoss: 2.336,
      chance: Math.log(10),
      batchesBefore: 400,
    },
    words:
      'training is not learning: the mean loss of batches 401-500 of epoch 1 is 2.336, still chance level ' +
      '(ln 10 = 2.303) and no lower than 400 batches before: try another learning rate',
  },
  'out-of-memory': {
    reason: { code: 'out-of-memory', engine: 'wasm', batch: 8192, max: 3584, detail: 'memory access out of bounds' },
    words:
      'the wasm engine ran out of memory at a batch of 8192 images ("memory access out of bounds"): use a batch size of 3584 or less',
  },
  'run-bad-message': {
    reason: { code: 'run-bad-message', peer: 'page', detail: 'a "done" message: result must be an object, got null' },
    words:
      'the GPU page sent a message Athanor cannot use (a "done" message: result must be an object, got null), so the run was stopped',
  },
  'run-message-unusable': {
    reason: { code: 'run-message-unusable', peer: 'page', type: 'progress', detail: 'chart is gone' },
    words: `the GPU page's "progress" message could not be used (chart is gone), so the run was stopped`,
  },
  'run-message-out-of-place': {
    reason: { code: 'run-message-out-of-place', peer: 'worker', type: 'sweep-point', where: 'sweep-in-run' },
    words: `the training process's "sweep-point" message could not be used (it belongs to a sweep, not a run), so the run was stopped`,
  },
  'run-probe-answer': {
    reason: { code: 'run-probe-answer', peer: 'worker' },
    words: 'the training process answered a probe during a run',
  },
  'worker-busy': { reason: { code: 'worker-busy', peer: 'page' }, words: 'this GPU page is already busy' },
  'page-cpu-run': { reason: { code: 'page-cpu-run' }, words: 'the GPU page trains GPU runs only' },
  'page-no-data': { reason: { code: 'page-no-data' }, words: 'the GPU page was started without data' },
  'weights-in-memory': {
    reason: { code: 'weights-in-memory', detail: 'ENOSPC' },
    words: 'the trained weights could not be stored (ENOSPC): export them before closing Athanor',
  },
  'weights-not-stored': {
    reason: { code: 'weights-not-stored', detail: 'EIO: i/o error' },
    words: 'the trained weights could not be stored: EIO: i/o error',
  },
};
