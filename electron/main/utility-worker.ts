import { utilityProcess } from 'electron';
import type { WorkerTransport } from '../training/process/worker-transport';
import { removeWasmTempFolders } from '../training/engines/wasm/temp-folders';
import { createTfLogFilter } from '../training/process/tf-log-filter';

/**
 * A training worker in an Electron utility process: a Node process Chromium manages (it shows in the task manager
 * under its service name), so native TensorFlow runs outside main and a crash there never takes the app down.
 */
export function forkUtilityWorker(script: string): WorkerTransport {
  const child = utilityProcess.fork(script, [], { serviceName: 'Athanor training', stdio: 'pipe' });
  let exited = false;
  let pid: number | undefined;
  child.once('spawn', () => {
    pid = child.pid;
  });
  child.once('exit', () => {
    exited = true;
    // A killed worker runs no exit hook: the temp folder its wasm engine made is removed here.
    if (pid !== undefined) removeWasmTempFolders({ pid });
  });
  // Piped output must be read, or a chatty worker (TensorFlow's native logging) blocks on a full pipe.
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(`[training] ${chunk}`));
  // libtensorflow's start-up info lines go, as on the command line (tf-log-filter.ts); the rest keeps its prefix.
  const stderr = createTfLogFilter((text) => process.stderr.write(`[training] ${text}`));
  child.stderr
    ?.setEncoding('utf8')
    .on('data', (chunk: string) => stderr.push(chunk))
    .on('end', () => stderr.end());
  return {
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message)),
    // A utility process reports only its exit code; a kill shows up as a non-zero code, not a signal name.
    onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null })),
    kill: () => {
      if (exited) return;
      child.kill();
      if (pid !== undefined) removeWasmTempFolders({ pid });
    },
  };
}
