/**
 * The words of the reasons that end a run (reasons.ts's RUN_END_SCHEMAS), for describe-reason.ts's one switch: its
 * default case hands every run end here, and the typecheck holds both switches exhaustive.
 */
import { t } from './i18n';
import type { Peer, RunEndReason } from './reasons';

const STATUSES = ['done', 'cancelled', 'diverged', 'failed', 'running'] as const;

/**
 * A run's status in one word, as the badge, the history's legend and notices, the report and the agreement figures
 * all say it ("done", "已完成"); the word itself for a status this app does not know.
 */
export function statusWord(status: string): string {
  return (STATUSES as readonly string[]).includes(status)
    ? t(`format.status.${status as (typeof STATUSES)[number]}`)
    : status;
}

/** Who sent a message, or failed to: "the training process", "the GPU page". */
export const peer = (who: Peer): string => t(`reasons.peer.${who}`);

/** The words of a reason that ends a run (reasons.ts's RUN_END_SCHEMAS). */
export function describeRunEndReason(reason: RunEndReason): string {
  switch (reason.code) {
    case 'worker-exited':
      return t('reasons.workerExited', { exitCode: String(reason.exitCode) });
    case 'worker-killed':
      return t(reason.signal === 'SIGKILL' ? 'reasons.workerKilledHard' : 'reasons.workerKilled', {
        signal: reason.signal,
      });
    case 'page-crashed':
      return reason.exitCode === undefined
        ? t('reasons.pageCrashed', { why: reason.why })
        : t('reasons.pageCrashedCode', { why: reason.why, exitCode: reason.exitCode });
    case 'page-hung':
      return t('reasons.pageHung', { seconds: reason.seconds });
    case 'page-closed':
      return t('reasons.pageClosed');
    case 'page-load-failed':
      return t('reasons.pageLoadFailed', { detail: reason.detail });
    case 'run-cancelled':
      return t('reasons.runCancelled', { step: reason.step, totalSteps: reason.totalSteps });
    case 'run-cancelled-before-start':
      return t('reasons.runCancelledBeforeStart');
    case 'run-stopped':
      return t('reasons.runStopped');
    case 'run-interrupted':
      return t('reasons.runInterrupted');
    case 'loss-exploded': {
      const at = { epoch: reason.epoch, batch: reason.batch };
      if (reason.loss === 'NaN') return t('reasons.lossNaN', at);
      if (reason.loss === 'Infinity') return t('reasons.lossInfinite', at);
      return t('reasons.lossExploded', {
        ...at,
        loss: reason.loss.toPrecision(3),
        limit: reason.limit.toFixed(1),
      });
    }
    case 'loss-stuck':
      return t('reasons.lossStuck', {
        fromBatch: reason.fromBatch,
        toBatch: reason.toBatch,
        epoch: reason.epoch,
        meanLoss: reason.meanLoss.toFixed(3),
        chance: reason.chance.toFixed(3),
        batchesBefore: reason.batchesBefore,
      });
    case 'out-of-memory': {
      const words = { engine: reason.engine, batch: reason.batch, detail: reason.detail };
      return reason.max !== undefined && reason.batch > reason.max
        ? t('reasons.outOfMemoryOverMax', { ...words, max: reason.max })
        : t('reasons.outOfMemory', words);
    }
    case 'run-bad-message':
      return t('reasons.runBadMessage', { peer: peer(reason.peer), detail: reason.detail });
    case 'run-message-unusable':
      return t('reasons.runMessageUnusable', { peer: peer(reason.peer), type: reason.type, detail: reason.detail });
    case 'run-message-out-of-place':
      return t('reasons.runMessageUnusable', {
        peer: peer(reason.peer),
        type: reason.type,
        detail: t(`reasons.outOfPlace.${reason.where}`),
      });
    case 'run-probe-answer':
      return t('reasons.runProbeAnswer', { peer: peer(reason.peer) });
    case 'worker-busy':
      return t('reasons.workerBusy', { busy: t(`reasons.busy.${reason.peer}`) });
    case 'page-cpu-run':
      return t('reasons.pageCpuRun');
    case 'page-no-data':
      return t('reasons.pageNoData');
    case 'weights-in-memory':
      return t('reasons.weightsInMemory', { detail: reason.detail });
    case 'weights-not-stored':
      return t('reasons.weightsNotStored', { detail: reason.detail });
  }
}
