/** Whether an engine loads in a worker or GPU page, asked of a fresh one without training: the Devices panel's answer. */
import type { Reason } from '../../shared/reasons';
import { checkWorkerMessage } from '../../shared/schema/messages';
import type { Device } from '../core/config';
import type { EngineInfo } from '../engines';
import type { BrowserEngineProbe, WorkerMessage, WorkerOptions } from './protocol';
import { errorReason, exitReason, settleOnce, type SpawnWorker } from './worker-transport';

/**
 * How long a probe may take before its engine is called unavailable, in ms: loading libtensorflow from a cold disk
 * and its one training step take seconds, a GPU page's adapter and shaders on a software renderer tens of seconds.
 */
export const PROBE_TIMEOUT_MS = 120_000;

export interface ProbeOutcome {
  ok: boolean;
  engine?: EngineInfo;
  reason?: Reason;
  /** The GPU page's answer: each browser engine's state. */
  browserEngines?: BrowserEngineProbe;
}

/** A GPU engine a Node worker can check by name: CUDA (the default for 'gpu') or WebGPU through Dawn. */
export type ProbeTarget = Device | { device: 'gpu'; gpuEngine: 'cuda' | 'webgpu' };

/**
 * Asks a fresh worker whether the engine for `target` loads, without training. Never rejects: a dead worker, an
 * error, a message that fails its check or no answer within `timeoutMs` is an answer of "not ready", with the
 * reason; the worker is stopped once the answer is in.
 */
export function probeEngine(
  spawn: SpawnWorker,
  target: ProbeTarget,
  options: WorkerOptions = {},
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProbeOutcome> {
  const { device, gpuEngine } = typeof target === 'string' ? { device: target, gpuEngine: undefined } : target;
  const worker = spawn();
  const peer = worker.peer ?? 'worker';
  return new Promise<ProbeOutcome>((resolve) => {
    const settle = settleOnce(worker);
    // A probe that never answers (a driver whose adapter request never resolves, a library load that hangs) would
    // hold the Devices panel, and every refresh that shares it, for good: it is unavailable after timeoutMs.
    const timer = setTimeout(
      () => finish(() => resolve({ ok: false, reason: { code: 'probe-timeout', peer, seconds: timeoutMs / 1000 } })),
      timeoutMs,
    );
    timer.unref?.();
    const finish = (done: () => void) =>
      settle(() => {
        clearTimeout(timer);
        done();
      });
    worker.onMessage((raw) => {
      let message: WorkerMessage;
      try {
        message = checkWorkerMessage(raw);
      } catch (err) {
        finish(() =>
          resolve({ ok: false, reason: { code: 'probe-bad-message', peer, detail: (err as Error).message } }),
        );
        return;
      }
      if (message.type === 'probe-result') {
        finish(() =>
          resolve({
            ok: message.ok,
            engine: message.engine,
            reason: message.reason,
            browserEngines: message.browserEngines,
          }),
        );
      } else if (message.type === 'error') finish(() => resolve({ ok: false, reason: errorReason(message) }));
    });
    worker.onExit((info) =>
      finish(() => resolve({ ok: false, reason: { code: 'probe-ended', exit: exitReason(info) } })),
    );
    worker.send({ type: 'probe', device, options, ...(gpuEngine ? { gpuEngine } : {}) });
  });
}
