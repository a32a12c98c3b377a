import { app, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { mnistDir, nativeEngineState, wasmDir, workerScript, type AppContext } from '../app-paths';
import { cachedDevices, detectCpu, detectDevices, hardwareNames } from '../services/devices';
import type { LanguageState } from '../shared/ipc-contract';
import type { Reason } from '../shared/reasons';
import { createHandlers, type Handlers } from '../services/handlers';
import { HistoryStore } from '../services/history-store';
import { RunManager } from '../services/run-manager';
import { SweepStore } from '../services/history-sweeps';
import { SweepManager } from '../services/sweep-manager';
import { withPageData } from '../training/process/page-run';
import type { WorkerOptions } from '../training/process/protocol';
import { type SpawnWorker } from '../training/process/worker-transport';
import { probeEngine, type ProbeOutcome } from '../training/process/probe-engine';
import { softwareGpuAllowed } from '../training/process/testing-option';
import { createDialogs } from './dialogs';
import { openGpuWindow, type GpuWindowOptions } from './gpu-window';
import { forkUtilityWorker } from './utility-worker';

export interface AppServices {
  handlers: Handlers;
  runs: RunManager;
  history: HistoryStore;
  sweeps: SweepManager;
}

export interface GpuPageSetup extends GpuWindowOptions {
  /** Set when WebGPU was turned off on this Linux desktop (gpu-switches.ts): the Devices panel gives it as WebGPU's reason. */
  linuxNote: Reason | null;
}

/**
 * Wires the plain-Node services to this installation: its paths, utility-process workers, GPU pages and native
 * dialogs. ATHANOR_ALLOW_SOFTWARE_GPU=1 is the testing option that lets a GPU page train on a software adapter
 * (SwiftShader); nothing in the UI sets it, and every result from such a run says "software GPU (testing only)".
 */
export async function createServices(
  ctx: AppContext,
  getWindow: () => BrowserWindow | null,
  gpuPage: GpuPageSetup,
  /** The language the app speaks now (the page asks for it on load). */
  language: () => LanguageState,
): Promise<AppServices> {
  // The CPU engines' threads are left to the worker (defaultThreads: every core, ATHANOR_THREADS to
  // override): a run has its utility process to itself, and the UI needs little CPU.
  const workerOptions: WorkerOptions = {
    wasmDir: wasmDir(ctx),
    defaultDataDir: mnistDir(ctx),
    packaged: ctx.packaged,
    allowSoftwareAdapter: softwareGpuAllowed(),
    // A getter, read as each start message is sent: a run's data and settings faults come in the language spoken then.
    get language() {
      return language().language;
    },
  };
  const script = workerScript(ctx);
  const spawn: SpawnWorker = () => forkUtilityWorker(script);
  const spawnPage: SpawnWorker = () =>
    withPageData(openGpuWindow(gpuPage), { defaultDataDir: workerOptions.defaultDataDir });
  const probePage = async (): Promise<ProbeOutcome> => {
    const outcome = await probeEngine(spawnPage, 'gpu', workerOptions);
    const webgpu = outcome.browserEngines?.webgpu;
    if (gpuPage.linuxNote && webgpu && !webgpu.ok) webgpu.reason = gpuPage.linuxNote;
    return outcome;
  };
  const historyDir = join(app.getPath('userData'), 'history');
  const history = await HistoryStore.open(historyDir);
  const devices = cachedDevices(() =>
    detectDevices({
      // Each probe gets a worker of its own: the CPU and GPU native engines cannot share a process.
      probe: (device) => probeEngine(spawn, device, workerOptions),
      probePage,
      help: { platform: process.platform, packaged: ctx.packaged, arch: process.arch },
      cpuEngineCopy: () => nativeEngineState(ctx, 'cpu'),
    }),
  );
  void devices.get().catch(() => undefined); // start probing now; the Devices panel asks later
  const hardware = () => {
    const report = devices.latest();
    return report ? hardwareNames(report) : { cpu: detectCpu().model, gpu: null };
  };
  const cudaReady = async () => (await devices.get()).gpuEngines.cuda.available;
  const runs = new RunManager({ spawn, spawnPage, cudaReady, history, hardware, workerOptions });
  const sweepStore = await SweepStore.open(historyDir);
  // Sweeps go where runs train, and wait for the run queue (RunManager.reserve).
  const sweeps = new SweepManager({
    spawn,
    spawnPage,
    cudaReady,
    runs,
    store: sweepStore,
    hardware,
    workerOptions,
  });
  const appInfo = {
    name: app.getName(),
    version: app.getVersion(),
    platform: process.platform,
    packaged: ctx.packaged,
  };
  const handlers = createHandlers({
    appInfo,
    language,
    devices,
    runs,
    history,
    dialogs: createDialogs(getWindow),
    defaultDataDir: workerOptions.defaultDataDir,
    sweeps: { manager: sweeps, store: sweepStore },
  });
  return { handlers, runs, history, sweeps };
}
