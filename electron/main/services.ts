import { app, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { mnistDir, nativeEngineState, wasmDir, workerScript, type AppContext } from '../app-paths';
import { cachedDevices, detectCpu, detectDevices, hardwareNames } from '../services/devices';
import { createHandlers, type Handlers } from '../services/handlers';
import { HistoryStore } from '../services/history-store';
import { RunManager } from '../services/run-manager';
import { defaultWasmThreads } from '../training/engines/wasm/thread-count';
import type { WorkerOptions } from '../training/protocol';
import { probeEngine, type SpawnWorker } from '../training/run-worker';
import { createDialogs } from './dialogs';
import { forkUtilityWorker } from './utility-worker';

export interface AppServices {
  handlers: Handlers;
  runs: RunManager;
  history: HistoryStore;
}

/** Wires the plain-Node services to this installation: its paths, utility-process workers and native dialogs. */
export async function createServices(ctx: AppContext, getWindow: () => BrowserWindow | null): Promise<AppServices> {
  // The wasm fallback gets every core: a run has its utility process to itself, and the UI needs little CPU.
  const workerOptions: WorkerOptions = {
    wasmDir: wasmDir(ctx), defaultDataDir: mnistDir(ctx), wasmThreads: defaultWasmThreads(), packaged: ctx.packaged,
  };
  const script = workerScript(ctx);
  const spawn: SpawnWorker = () => forkUtilityWorker(script);
  const history = await HistoryStore.open(join(app.getPath('userData'), 'history'));
  const devices = cachedDevices(() => detectDevices({
    // Each probe gets a worker of its own: the CPU and GPU native engines cannot share a process.
    probe: (device) => probeEngine(spawn, device, workerOptions),
    help: { platform: process.platform, packaged: ctx.packaged, arch: process.arch },
    cpuEngineCopy: () => nativeEngineState(ctx, 'cpu'),
  }));
  void devices.get().catch(() => undefined); // start probing now; the Devices panel asks later
  const runs = new RunManager({
    spawn,
    history,
    hardware: () => {
      const report = devices.latest();
      return report ? hardwareNames(report) : { cpu: detectCpu().model, gpu: null };
    },
    workerOptions,
  });
  const appInfo = { name: app.getName(), version: app.getVersion(), platform: process.platform, packaged: ctx.packaged };
  const handlers = createHandlers({ appInfo, devices, runs, history, dialogs: createDialogs(getWindow) });
  return { handlers, runs, history };
}
