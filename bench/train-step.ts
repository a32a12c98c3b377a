/**
 * `npm run bench`: ms per batch of 64 on the CPU as Athanor trains there, in one run: the wasm fallback engine with
 * XNNPACK threads on every core (as the app and the CLI run it) beside its single-thread build, the overhead of
 * Athanor's training loop over a bare tfjs loop on the threaded engine, and the reference PyTorch loop with as many
 * threads, where python3 with torch is present. Each engine runs in a process of its own (a process starts the wasm
 * backend once), all kept warm, and every round runs each once, in an order that rotates, so drift in machine load
 * (these machines are shared) hits all alike; figures are medians over rounds. Options: --batches N (default 100),
 * --rounds N (default 5), --threads N (default: every core), --native (the threaded child tries tfjs-node first).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { validateConfig } from '../electron/training/config';
import { bundledMnistDir, loadMnist, type MnistData } from '../electron/training/dataset';
import { defaultThreads, initEngine, type EngineInfo } from '../electron/training/engines';
import { createModel, initialWeights, setModelWeights } from '../electron/training/model';
import { train } from '../electron/training/train';

const arg = (name: string) => process.argv.find((_, i) => process.argv[i - 1] === name);
const BATCHES = Number(arg('--batches') ?? 100);
const ROUNDS = Number(arg('--rounds') ?? 5);
const THREADS = Number(arg('--threads') ?? defaultThreads());
const WARMUP_BATCHES = Math.min(20, BATCHES);

/** The plainest loop tfjs allows: slice, step, dispose; one read at the end. */
async function bareLoop(data: MnistData, batches: number): Promise<number> {
  const model = createModel();
  setModelWeights(model, initialWeights(42));
  const optimizer = tf.train.momentum(0.001, 0.9);
  let start = 0;
  let last: tf.Scalar | null = null;
  for (let i = 0; i <= batches; i++) {
    const xs = tf.tensor4d(data.train.images.subarray(i * 64 * 784, (i + 1) * 64 * 784), [64, 28, 28, 1]);
    const labels = tf.tensor1d(data.train.labels.subarray(i * 64, (i + 1) * 64), 'int32');
    const ys = tf.oneHot(labels, 10);
    last?.dispose();
    last = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar, true)!;
    tf.dispose([xs, labels, ys]);
    if (i === 0) {
      await last.data(); // warm-up batch, as Athanor times it
      start = performance.now();
    }
  }
  await last!.data();
  const ms = (performance.now() - start) / batches;
  last!.dispose();
  optimizer.dispose();
  tf.SGDOptimizer.prototype.dispose.call(optimizer); // see train.ts: tfjs 4.22 leaks this scalar otherwise
  model.dispose();
  return ms;
}

async function athanorLoop(data: MnistData, engine: EngineInfo, batches: number): Promise<number> {
  const config = validateConfig({ epochs: 1, limit: (batches + 1) * 64 });
  const sliced = { ...data, test: { ...data.test, count: 0 } }; // time training, not evaluation
  const { result } = await train({ config, data: sliced, engine });
  return result.timings.trainingMs / batches;
}

type Loop = 'bare' | 'athanor';
type ChildReply = { type: 'ready'; engine: EngineInfo } | { type: 'round'; ms: Record<Loop, number>; tensors: number };

/** A child process: one engine, kept warm; runs the loops it is asked for, in the order asked. */
async function child(threads: number, native: boolean): Promise<void> {
  const engine = await initEngine('cpu', { preferFallback: !native, threads });
  const data = await loadMnist({ limit: (BATCHES + 1) * 64, testLimit: 1 });
  // One short unmeasured pass of each: the first call of either loop pays for JIT compilation.
  await bareLoop(data, WARMUP_BATCHES);
  await athanorLoop(data, engine, WARMUP_BATCHES);
  process.send!({ type: 'ready', engine } satisfies ChildReply);
  process.on('message', async (loops: Loop[]) => {
    const ms = {} as Record<Loop, number>;
    for (const loop of loops) ms[loop] = loop === 'bare' ? await bareLoop(data, BATCHES) : await athanorLoop(data, engine, BATCHES);
    process.send!({ type: 'round', ms, tensors: tf.memory().numTensors } satisfies ChildReply);
  });
  process.on('disconnect', () => process.exit(0));
}

class EngineChild {
  private readonly process: ChildProcess;
  private readonly replies: ChildReply[] = [];
  private waiting: ((reply: ChildReply) => void) | null = null;
  constructor(threads: number, native: boolean) {
    const args = ['--child', String(threads), ...(native ? ['--native'] : []), '--batches', String(BATCHES)];
    this.process = fork(process.argv[1], args, { execArgv: process.execArgv, stdio: 'inherit' });
    this.process.on('message', (reply: ChildReply) => (this.waiting ? this.waiting(reply) : this.replies.push(reply)));
    this.process.on('exit', (code) => {
      if (code === 0) return;
      console.error(`bench: a bench process (threads ${threads}) exited with code ${code}`);
      process.exit(1);
    });
  }
  private next(): Promise<ChildReply> {
    const queued = this.replies.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => (this.waiting = (r) => { this.waiting = null; resolve(r); }));
  }
  async ready(): Promise<EngineInfo> {
    return ((await this.next()) as Extract<ChildReply, { type: 'ready' }>).engine;
  }
  async round(loops: Loop[]): Promise<Extract<ChildReply, { type: 'round' }>> {
    this.process.send(loops);
    return (await this.next()) as Extract<ChildReply, { type: 'round' }>;
  }
  close(): void {
    this.process.disconnect();
  }
}

function torchPython(): string | null {
  for (const python of [process.env.ATHANOR_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

/** One run of the reference loop (bench/reference_torch.py) with `threads` threads; its warm-up batch excluded. */
function torchRound(python: string, threads: number): { ms: number; torch: string } {
  const env = {
    ...process.env,
    ATHANOR_TORCH_THREADS: String(threads),
    // Without these, Debian's PyTorch 1.13 timings swing 3-4x here (shared/REFERENCE.md).
    MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '4294967296', OPENBLAS_NUM_THREADS: '1',
  };
  const r = spawnSync(python, ['bench/reference_torch.py', bundledMnistDir(), String(BATCHES)], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`the PyTorch reference failed: ${r.stderr.trim().split('\n').at(-1)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  return { ms: out.ms_per_batch, torch: out.torch };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const label = (e: EngineInfo) => `${e.engine} ${e.version}${e.features ? ` (${e.features})` : ''}`;

async function main(): Promise<void> {
  console.log(`machine: ${os.availableParallelism()} cores; load average ${load()} (1, 5, 15 min) at the start`);
  const threaded = new EngineChild(THREADS, process.argv.includes('--native'));
  const single = new EngineChild(1, false);
  const [tEngine, sEngine] = [await threaded.ready(), await single.ready()];
  console.log(`threaded:      ${label(tEngine)}${tEngine.fallbackReason ? `; fallback because ${tEngine.fallbackReason}` : ''}`);
  console.log(`single thread: ${label(sEngine)}`);
  const python = torchPython();
  let torchVersion = '';
  const ms = { bare: [] as number[], athanor: [] as number[], single: [] as number[], torch: [] as number[], ratio: [] as number[] };
  let tensors = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Each of the three goes first, second and last in turn; the two loops on the threaded engine swap too.
    const steps = [
      async () => {
        const r = await threaded.round(round % 2 === 0 ? ['bare', 'athanor'] : ['athanor', 'bare']);
        ms.bare.push(r.ms.bare);
        ms.athanor.push(r.ms.athanor);
        ms.ratio.push(r.ms.athanor / r.ms.bare);
        tensors = r.tensors;
      },
      async () => ms.single.push((await single.round(['athanor'])).ms.athanor),
      async () => {
        if (!python) return;
        const r = torchRound(python, THREADS);
        ms.torch.push(r.ms);
        torchVersion = r.torch;
      },
    ];
    for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]();
    console.log(`round ${round + 1}: threaded bare ${ms.bare.at(-1)!.toFixed(1)}, Athanor ${ms.athanor.at(-1)!.toFixed(1)}; `
      + `single thread ${ms.single.at(-1)!.toFixed(1)}${python ? `; PyTorch ${ms.torch.at(-1)!.toFixed(1)}` : ''} ms a batch`);
  }
  threaded.close();
  single.close();

  const [a, s, b] = [median(ms.athanor), median(ms.single), median(ms.bare)];
  const threads = tEngine.engine === 'wasm' ? /(\d+) threads/.exec(tEngine.features ?? '')?.[1] ?? '1' : 'native';
  console.log(`\nms per batch of 64 (median of ${ROUNDS} rounds of ${BATCHES} batches, warm-up excluded; `
    + `load average ${load()} at the end)`);
  const row = (name: string, value: string, note: string) => console.log(`  ${name.padEnd(32)}${value.padStart(7)}   ${note}`);
  row(`Athanor, ${tEngine.engine}, ${threads} threads`, a.toFixed(1), '(target on the fallback: at most 50)');
  row('Athanor, wasm, single thread', s.toFixed(1), `(threaded speed: ${(s / a).toFixed(2)}x this)`);
  row('bare tfjs loop, threaded', b.toFixed(1),
    `Athanor overhead ${((median(ms.ratio) - 1) * 100).toFixed(2)}% (median of per-round ratios; target: under 3%)`);
  if (python) {
    const t = median(ms.torch);
    row('PyTorch reference', t.toFixed(1), `(torch ${torchVersion}, ${THREADS} threads, ${python}; Athanor threaded takes ${(a / t).toFixed(1)}x its time)`);
  } else {
    row('PyTorch reference', '-', 'skipped: no python3 with torch (apt-get install python3-torch)');
  }
  row('tensors alive', String(tensors), '(threaded process, after its last round)');
}

if (process.argv.includes('--child')) {
  child(Number(arg('--child')), process.argv.includes('--native')).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
