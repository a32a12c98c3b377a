/**
 * The parent's side of a worker process: the transport (Node's fork here; Electron's utilityProcess and the GPU page
 * in the app), how its exit is told when it says nothing, and how the first answer of a job or probe settles it.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExitReason, Peer, Reason } from '../../shared/reasons';
import { removeWasmTempFolders } from '../engines/wasm/temp-folders';
import type { ParentMessage, WorkerMessage } from './protocol';
import { createTfLogFilter } from './tf-log-filter';

/**
 * A worker process as the parent sees it: Node's fork here, Electron's utilityProcess or a GPU page in the app. What
 * it hears is unchecked (`unknown`): startRun and probeEngine check each message before acting on it.
 */
export interface WorkerTransport {
  send(message: ParentMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** `reason`: set by a transport that knows why its process ended (a GPU page that crashed or hung). */
  onExit(listener: (info: ExitInfo) => void): void;
  kill(): void;
  /** Who speaks on this transport, for a failure's reason: 'page'; 'worker' if unset. */
  readonly peer?: Peer;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  reason?: ExitReason;
}

export type SpawnWorker = () => WorkerTransport;

/** The worker entry beside this module: built JavaScript in the app, TypeScript through tsx in dev and tests. */
export function workerEntry(dir: string = __dirname): { file: string; execArgv: string[] } {
  const js = join(dir, 'worker.js');
  if (existsSync(js)) return { file: js, execArgv: [] };
  // tsx's loader by absolute URL: a bare '--import tsx' would resolve from the caller's working directory.
  const tsxLoader = join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return { file: join(dir, 'worker.ts'), execArgv: ['--import', pathToFileURL(tsxLoader).href] };
}

export function forkWorker(entry = workerEntry(), execPath = process.execPath): WorkerTransport & { pid?: number } {
  // 'advanced' serialization carries the trained weights as Float32Arrays instead of JSON number lists. A process
  // group of its own (POSIX) keeps a terminal's Ctrl+C to the parent, which cancels the run cleanly; the worker
  // still ends with its parent, through the IPC channel's disconnect. (On Windows, detached opens a console.)
  const child = fork(entry.file, [], {
    execPath,
    execArgv: entry.execArgv,
    serialization: 'advanced',
    stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    detached: process.platform !== 'win32',
  });
  // The worker's errors reach the terminal; libtensorflow's start-up info lines do not (tf-log-filter.ts).
  const filter = createTfLogFilter((text) => process.stderr.write(text));
  child
    .stderr!.setEncoding('utf8')
    .on('data', (chunk: string) => filter.push(chunk))
    .on('end', () => filter.end());
  // A killed worker runs no exit hook: the temp folder its wasm engine made is removed here, at the kill (a CLI that
  // exits next never sees the worker's exit event) or when it ends on its own.
  child.once('exit', () => removeWasmTempFolders({ pid: child.pid }));
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message)),
    onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal })),
    kill: () => {
      child.kill('SIGKILL');
      if (child.pid !== undefined) removeWasmTempFolders({ pid: child.pid });
    },
  };
}

/** How a process ended without saying why: its transport's reason (a GPU page that crashed), its signal, or its code. */
export function exitReason({ code, signal, reason }: ExitInfo): ExitReason {
  if (reason) return reason;
  if (signal) return { code: 'worker-killed', signal };
  return { code: 'worker-exited', exitCode: code };
}

/**
 * A worker's answer, an error and its exit can all arrive, in any order: the first one settles the caller's
 * promise, and the worker is then stopped.
 */
export function settleOnce(worker: WorkerTransport): (settle: () => void) => void {
  let settled = false;
  return (settle) => {
    if (settled) return;
    settled = true;
    settle();
    worker.kill();
  };
}

/** An 'error' message's reason: the code it carries, else its words (a sender that gives only words). */
export function errorReason(message: Extract<WorkerMessage, { type: 'error' }>): Reason {
  return message.reason ?? { code: 'error', message: message.message ?? '' };
}
