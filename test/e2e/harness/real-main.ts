/**
 * The main process's services as the app wires them, minus Electron: real workers (forked Node processes running
 * the core's worker), a history folder, real device detection, and dialogs answered by the test.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DevicesReport, SweepEvent, TrainingEvent } from '../../../electron/shared/ipc-contract';
import { detectCpu, detectDevices, hardwareNames } from '../../../electron/services/devices';
import { createHandlers, type Dialogs, type SaveDefaults } from '../../../electron/services/handlers';
import { HistoryStore, type StoreOptions } from '../../../electron/services/history-store';
import { RunManager } from '../../../electron/services/run-manager';
import { SweepStore } from '../../../electron/services/history-sweeps';
import { SweepManager } from '../../../electron/services/sweep-manager';
import { forkWorker } from '../../../electron/training/process/worker-transport';
import { BUILT } from '../../training/cli/helpers';
import { probeEngine } from '../../../electron/training/process/probe-engine';
import { withPageData } from '../../../electron/training/process/page-run';
import type { Browser } from 'playwright-core';
import { spawnGpuPage } from './gpu-page';
import { ROOT } from './build-renderer';

export interface TestDialogs extends Dialogs {
  /** What the next save dialog answers (null: the user cancels). */
  nextSavePath: string | null;
  nextFolder: string | null;
  saveRequests: SaveDefaults[];
}

export interface RealMainOptions {
  testLimit: number;
  /**
   * GPU pages in this browser (standing in for main's hidden windows), served from the built renderer at `url`;
   * with the testing option (unless `testingOption: false`), so that WebGPU and WebGL train on Chromium's
   * software adapter here. Without it the pages refuse that adapter, as the app does on a machine with no GPU.
   */
  gpuPages?: { browser: Browser; url: string; testingOption?: boolean };
  /** The history store's seams (a full disk), for the tests of what is kept when it cannot write. */
  history?: StoreOptions;
}

export async function createRealMain(historyDir: string, options: RealMainOptions) {
  const { version } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };
  const history = await HistoryStore.open(historyDir, options.history);

  const gpuPages = options.gpuPages;
  const spawnPage = gpuPages && (() => withPageData(spawnGpuPage(gpuPages.browser, gpuPages.url)));
  const workerOptions = gpuPages && gpuPages.testingOption !== false ? { allowSoftwareAdapter: true } : {};
  let report: Promise<DevicesReport> | null = null;
  const devices = {
    get(refresh = false): Promise<DevicesReport> {
      if (!report || refresh) {
        report = detectDevices({
          probe: (device) => probeEngine(() => forkWorker(BUILT.worker), device),
          probePage: spawnPage && (() => probeEngine(spawnPage, 'gpu', workerOptions)),
        });
      }
      return report;
    },
  };
  let names = hardwareNames({ cpu: detectCpu(), gpus: [] });
  void devices.get().then(
    (r) => (names = hardwareNames(r)),
    () => {},
  );

  const dialogs: TestDialogs = {
    nextSavePath: null,
    nextFolder: null,
    saveRequests: [],
    async saveFile(defaults) {
      dialogs.saveRequests.push(defaults);
      return dialogs.nextSavePath;
    },
    async chooseFolder() {
      return dialogs.nextFolder;
    },
  };

  const runs = new RunManager({
    spawn: () => forkWorker(BUILT.worker),
    spawnPage,
    history,
    hardware: () => names,
    testLimit: options.testLimit,
    workerOptions,
    cudaReady: async () => (await devices.get()).gpuEngines.cuda.available,
  });
  const sweepStore = await SweepStore.open(historyDir);
  const sweeps = new SweepManager({
    spawn: () => forkWorker(BUILT.worker),
    spawnPage,
    cudaReady: async () => (await devices.get()).gpuEngines.cuda.available,
    runs,
    store: sweepStore,
    hardware: () => names,
    workerOptions,
  });
  const handlers = createHandlers({
    appInfo: { name: 'Athanor', version, platform: process.platform, packaged: false },
    devices,
    runs,
    history,
    dialogs,
    sweeps: { manager: sweeps, store: sweepStore },
  });
  return {
    handlers,
    history,
    runs,
    dialogs,
    devices,
    onEvent: (listener: (ev: TrainingEvent) => void) => runs.subscribe(listener),
    sweeps,
    onSweepEvent: (listener: (ev: SweepEvent) => void) => sweeps.subscribe(listener),
  };
}
