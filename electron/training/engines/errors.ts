import { describeReason } from '../../shared/describe-reason';
import type { Reason } from '../../shared/reasons';

/**
 * An engine that cannot run here: `reason` is the code with its data, which probes and fallbacks carry on; the
 * message is its words, for the error paths that only show text (a failed run's notice, the CLI's last line).
 */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
  constructor(readonly reason: Reason) {
    super(describeReason(reason));
  }
}

/** A failure Athanor itself foresaw, as its reason (a GPU page given a CPU run); the message is its words, for logs. */
export class ReasonError extends Error {
  override name = 'ReasonError';
  constructor(readonly reason: Reason) {
    super(describeReason(reason));
  }
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
