/**
 * One mapping from a failure to the code the parent acts on, for the worker process, the GPU page and main's own
 * loading of a page's data. No engine or file-system code here: main imports it without loading tfjs.
 */
import { ConfigError } from '../core/config';
import { EngineUnavailableError } from '../engines/errors';
import { DatasetError } from '../mnist/dataset-error';
import type { WorkerErrorCode } from '../../shared/schema/messages';

/**
 * The failure code the parent acts on (run-worker.ts's FailureKind): settings it refuses, data it cannot read, an
 * engine that is not there, or anything else.
 */
export function errorCode(err: unknown): WorkerErrorCode {
  return err instanceof ConfigError
    ? 'invalid-config'
    : err instanceof DatasetError
      ? 'dataset'
      : err instanceof EngineUnavailableError
        ? 'engine-unavailable'
        : 'failed';
}
