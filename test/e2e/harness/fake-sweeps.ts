/**
 * The scripted main side's batch-size sweeps: the real SweepManager over the fake main's RunManager, with sweep
 * workers (the CPU's) and GPU pages that say only what the test tells them, when it tells them.
 */
import type { EngineInfo, SweepEvent, SweepRecord } from '../../../electron/shared/ipc-contract';
import type { Reason } from '../../../electron/shared/reasons';
import type { HardwareNames } from '../../../electron/services/hardware-names';
import type { RunManager } from '../../../electron/services/run-manager';
import { SweepManager } from '../../../electron/services/sweep-manager';
import { fakeSpawner, type FakeWorker } from '../../services/fake-worker';
import type { HandlerTable } from './api-bridge';
import { ENGINE_CPU } from './fake-records';

export const ENGINE_WEBGPU_A100: EngineInfo = {
  engine: 'webgpu',
  device: 'gpu',
  backend: 'webgpu',
  version: '4.22.0',
  adapter: { vendor: 'nvidia', name: 'NVIDIA A100-SXM4-40GB', api: 'Vulkan', software: false },
};

export interface FakeSweeps {
  handlers: Pick<HandlerTable, 'sweep:start' | 'sweep:cancel' | 'sweep:list'>;
  onEvent: (listener: (ev: SweepEvent) => void) => void;
  /** The running sweep's CPU worker or GPU page starts its engine (tfjs-node; WebGPU on an A100 by default). */
  ready: (device: 'cpu' | 'gpu', engine?: EngineInfo) => Promise<void>;
  /** It times one size: `ms` a step. */
  point: (device: 'cpu' | 'gpu', batchSize: number, ms: number) => void;
  /** It ends its sweep (the sizes it skipped, with their reasons). */
  done: (device: 'cpu' | 'gpu', skipped?: { batchSize: number; reason: string }[]) => void;
  /** Its engine fails with `reason`. */
  fail: (device: 'cpu' | 'gpu', reason: Reason) => void;
  /** Sweeps kept so far (the store), newest last. */
  kept: () => SweepRecord[];
}

export function createFakeSweeps(runs: RunManager, hardware: () => HardwareNames, saved: SweepRecord[] = []) {
  const kept = saved.slice();
  const cpu = fakeSpawner();
  const page = fakeSpawner();
  const sweeps = new SweepManager({
    spawn: cpu.spawn,
    spawnPage: page.spawn,
    runs,
    hardware,
    store: { put: async (s) => void kept.splice(0, kept.length, ...kept.filter((k) => k.id !== s.id), s) },
    cancelGraceMs: 50,
  });
  /** The device's newest worker, once the sweep has started it. */
  const worker = async (device: 'cpu' | 'gpu'): Promise<FakeWorker> => {
    const list = device === 'cpu' ? cpu.workers : page.workers;
    for (let i = 0; i < 200 && (list.length === 0 || list.at(-1)!.exited); i++)
      await new Promise((r) => setTimeout(r, 10));
    const w = list.at(-1);
    if (!w || w.exited) throw new Error(`no ${device} sweep worker is running`);
    return w;
  };
  const now = (device: 'cpu' | 'gpu'): FakeWorker => {
    const w = (device === 'cpu' ? cpu.workers : page.workers).at(-1);
    if (!w || w.exited) throw new Error(`no ${device} sweep worker is running`);
    return w;
  };
  const timed = new Map<
    FakeWorker,
    { batchSize: number; msPerStep: number; imagesPerSecond: number; steps: number; tensorsLeft: number }[]
  >();
  const handlers: FakeSweeps['handlers'] = {
    'sweep:start': async (arg) => sweeps.start(arg as Parameters<SweepManager['start']>[0]),
    'sweep:cancel': async (arg) => sweeps.cancel((arg as { id: string }).id),
    'sweep:list': async () => ({
      sweeps: [...kept].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)),
      notice: null,
    }),
  };
  const fake: FakeSweeps = {
    handlers,
    onEvent: (listener) => sweeps.subscribe(listener),
    ready: async (device, engine = device === 'cpu' ? (ENGINE_CPU as EngineInfo) : ENGINE_WEBGPU_A100) => {
      (await worker(device)).emit({ type: 'ready', engine, timings: { engineStartMs: 40 } });
    },
    point: (device, batchSize, ms) => {
      const w = now(device);
      const p = { batchSize, msPerStep: ms, imagesPerSecond: batchSize / (ms / 1000), steps: 5, tensorsLeft: 0 };
      timed.set(w, [...(timed.get(w) ?? []), p]);
      w.emit({ type: 'sweep-point', point: p });
    },
    done: (device, skipped = []) => {
      const w = now(device);
      w.emit({ type: 'sweep-done', sweep: { points: timed.get(w) ?? [], skipped } });
    },
    fail: (device, reason) =>
      now(device).emit({ type: 'error', code: 'engine-unavailable', message: 'failed', reason }),
    kept: () => kept,
  };
  return fake;
}
