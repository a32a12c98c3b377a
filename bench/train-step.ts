/**
 * `npm run bench`: ms per batch of 64 on the CPU as Athanor trains there, in one run and one table: the native engine
 * (tfjs-node, TensorFlow's thread pools) and the wasm engine with XNNPACK threads, each on every core (as the app and
 * the CLI run them), the wasm engine's single-thread build, and the reference PyTorch loop with as many threads,
 * where python3 with torch is present; then the overhead of Athanor's training loop over a bare tfjs loop on the
 * native engine (on threaded wasm where the native engine cannot run). Each engine runs in a process of its own (a
 * process starts one backend), all kept warm, and every round runs each once, in an order that rotates, so drift in
 * machine load (these machines are shared) hits all alike; figures are medians over rounds. Options: --batches N
 * (default 100), --rounds N (default 5), --threads N (default: every core; ATHANOR_THREADS also sets it).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { validateConfig } from '../electron/training/core/config';
import { bundledMnistDir, loadMnist, type MnistData } from '../electron/training/core/dataset';
import { defaultThreads, initEngine, type EngineInfo } from '../electron/training/engines';
import { describeReason } from '../electron/shared/describe-reason';
import { createModel, disposeMomentum, initialWeights, setModelWeights } from '../electron/training/core/model';
import { train } from '../electron/training/core/train';
import { useReluGradient } from '../electron/training/engines/native-kernels';
import { createTfLogFilter } from '../electron/training/process/tf-log-filter';

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
    last = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    tf.dispose([xs, labels, ys]);
    if (i === 0) {
      await last.data(); // warm-up batch, as Athanor times it
      start = performance.now();
    }
  }
  await last!.data();
  const ms = (performance.now() - start) / batches;
  last!.dispose();
  disposeMomentum(optimizer);
  model.dispose();
  return ms;
}

async function athanorLoop(data: MnistData, engine: EngineInfo, batches: number): Promise<number> {
  const config = validateConfig({ epochs: 1, limit: (batches + 1) * 64 });
  const sliced = { ...data, test: { ...data.test, count: 0 } }; // time training, not evaluation
  const { result } = await train({ config, data: sliced, engine });
  return result.timings.trainingMs / batches;
}

type Loop = 'bare' | 'athanor' | 'stock';
type ChildReply = { type: 'ready'; engine: EngineInfo } | { type: 'round'; ms: Record<Loop, number>; tensors: number };
type Kind = 'native' | 'wasm';

/** A child process: one engine, kept warm; runs the loops it is asked for, in the order asked. */
async function child(threads: number, kind: Kind): Promise<void> {
  const engine = await initEngine('cpu', { preferFallback: kind === 'wasm', threads });
  if (kind === 'native' && engine.engine !== 'tfjs-node') {
    // Nothing to time: the parent prints why.
    process.send!({ type: 'ready', engine } satisfies ChildReply);
    process.on('disconnect', () => process.exit(0));
    return;
  }
  const data = await loadMnist({ limit: (BATCHES + 1) * 64, testLimit: 1 });
  // One short unmeasured pass of each: the first call of either loop pays for JIT compilation.
  await bareLoop(data, WARMUP_BATCHES);
  await athanorLoop(data, engine, WARMUP_BATCHES);
  process.send!({ type: 'ready', engine } satisfies ChildReply);
  process.on('message', async (loops: Loop[]) => {
    const ms = {} as Record<Loop, number>;
    for (const loop of loops) {
      if (loop === 'stock') useReluGradient('stock');
      ms[loop] = loop === 'bare' ? await bareLoop(data, BATCHES) : await athanorLoop(data, engine, BATCHES);
      if (loop === 'stock') useReluGradient('native');
    }
    process.send!({ type: 'round', ms, tensors: tf.memory().numTensors } satisfies ChildReply);
  });
  process.on('disconnect', () => process.exit(0));
}

class EngineChild {
  private readonly process: ChildProcess;
  private readonly replies: ChildReply[] = [];
  private waiting: ((reply: ChildReply) => void) | null = null;
  constructor(threads: number, kind: Kind) {
    const args = ['--child', String(threads), '--kind', kind, '--batches', String(BATCHES)];
    this.process = fork(process.argv[1], args, {
      execArgv: process.execArgv,
      stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    });
    // As the CLI shows a worker's stderr: without libtensorflow's start-up info lines.
    const filter = createTfLogFilter((text) => process.stderr.write(text));
    this.process
      .stderr!.setEncoding('utf8')
      .on('data', (chunk: string) => filter.push(chunk))
      .on('end', () => filter.end());
    this.process.on('message', (reply: ChildReply) => (this.waiting ? this.waiting(reply) : this.replies.push(reply)));
    this.process.on('exit', (code) => {
      if (code === 0) return;
      console.error(`bench: a bench process (threads ${threads}) exited with code ${code}`);
      process.exit(1);
    });
  }
  private next(): Promise<ChildReply> {
    const queued = this.replies.shift();
    return queued
      ? Promise.resolve(queued)
      : new Promise(
          (resolve) =>
            (this.waiting = (r) => {
              this.waiting = null;
              resolve(r);
            }),
        );
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
    MALLOC_MMAP_THRESHOLD_: '4294967296',
    MALLOC_TRIM_THRESHOLD_: '4294967296',
    OPENBLAS_NUM_THREADS: '1',
  };
  const r = spawnSync(python, ['bench/reference_torch.py', bundledMnistDir(), String(BATCHES)], {
    encoding: 'utf8',
    env,
  });
  if (r.status !== 0) throw new Error(`the PyTorch reference failed: ${r.stderr.trim().split('\n').at(-1)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  return { ms: out.ms_per_batch, torch: out.torch };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const label = (e: EngineInfo) => `${e.engine} ${e.version}${e.features ? ` (${e.features})` : ''}`;

async function main(): Promise<void> {
  console.log(`machine: ${os.availableParallelism()} cores; load average ${load()} (1, 5, 15 min) at the start`);
  const children = {
    native: new EngineChild(THREADS, 'native'),
    wasm: new EngineChild(THREADS, 'wasm'),
    single: new EngineChild(1, 'wasm'),
  };
  const engines = {
    native: await children.native.ready(),
    wasm: await children.wasm.ready(),
    single: await children.single.ready(),
  };
  const hasNative = engines.native.engine === 'tfjs-node';
  if (!hasNative) {
    console.log(
      `native engine: not timed, ${engines.native.fallbackReason ? describeReason(engines.native.fallbackReason) : 'it did not load'}`,
    );
    children.native.close();
  }
  for (const key of ['native', 'wasm', 'single'] as const)
    if (key !== 'native' || hasNative) console.log(`${key.padEnd(8)} ${label(engines[key])}`);
  // The bare loop runs on the native engine, or on threaded wasm where there is none.
  const bareOn = hasNative ? 'native' : 'wasm';
  const python = torchPython();
  let torchVersion = '';
  const ms = {
    stock: [] as number[],
    native: [] as number[],
    wasm: [] as number[],
    single: [] as number[],
    bare: [] as number[],
    torch: [] as number[],
    ratio: [] as number[],
  };
  const tensors: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const steps: Array<() => Promise<void>> = [];
    for (const key of ['native', 'wasm', 'single'] as const) {
      if (key === 'native' && !hasNative) continue;
      steps.push(async () => {
        const withBare = key === bareOn;
        const loops: Loop[] = withBare ? ['bare', 'athanor'] : ['athanor'];
        if (key === 'native') loops.push('stock');
        const r = await children[key].round(round % 2 === 0 ? loops : loops.reverse());
        ms[key].push(r.ms.athanor);
        if (key === 'native') ms.stock.push(r.ms.stock);
        if (withBare) {
          ms.bare.push(r.ms.bare);
          ms.ratio.push(r.ms.athanor / r.ms.bare);
        }
        tensors[key] = r.tensors;
      });
    }
    if (python) {
      steps.push(async () => {
        const r = torchRound(python, THREADS);
        ms.torch.push(r.ms);
        torchVersion = r.torch;
      });
    }
    // Each goes first, second, ... and last in turn.
    for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]();
    const parts = [
      hasNative ? `native ${ms.native.at(-1)!.toFixed(1)} (stock ReLU gradient ${ms.stock.at(-1)!.toFixed(1)})` : null,
      `wasm ${ms.wasm.at(-1)!.toFixed(1)}`,
      `wasm single ${ms.single.at(-1)!.toFixed(1)}`,
      `bare (${bareOn}) ${ms.bare.at(-1)!.toFixed(1)}`,
      python ? `PyTorch ${ms.torch.at(-1)!.toFixed(1)}` : null,
    ].filter(Boolean);
    console.log(`round ${round + 1}: ${parts.join(', ')} ms a batch`);
  }
  for (const c of Object.values(children)) c.close();

  const t = python ? median(ms.torch) : null;
  const vsTorch = (x: number) => (t ? `${(x / t).toFixed(1)}x PyTorch's time` : '');
  console.log(
    `\nms per batch of 64 (median of ${ROUNDS} rounds of ${BATCHES} batches, warm-up excluded; ` +
      `load average ${load()} at the end)`,
  );
  const row = (name: string, threads: string, value: string, note: string) =>
    console.log(`  ${name.padEnd(62)}${threads.padStart(8)}${value.padStart(9)}   ${note}`);
  row('engine', 'threads', 'ms', '');
  if (hasNative) {
    const n = median(ms.native);
    row(
      `Athanor, ${label(engines.native)}`,
      String(engines.native.threads ?? '?'),
      n.toFixed(1),
      `(target: at most 24) ${vsTorch(n)}`,
    );
    row(
      "  the same with tfjs-node's own ReLU gradient",
      String(engines.native.threads ?? '?'),
      median(ms.stock).toFixed(1),
      '(Step: six TensorFlow ops where Athanor runs ReluGrad; engines/native-kernels.ts)',
    );
  } else
    row(
      'Athanor, tfjs-node',
      '-',
      '-',
      `not timed: ${engines.native.fallbackReason ? describeReason(engines.native.fallbackReason) : 'it did not load'}`,
    );
  const w = median(ms.wasm);
  row(
    `Athanor, ${label(engines.wasm)}`,
    String(engines.wasm.threads ?? '?'),
    w.toFixed(1),
    `(target on the fallback: at most 50) ${vsTorch(w)}`,
  );
  const s1 = median(ms.single);
  row(
    `Athanor, ${label(engines.single)}`,
    String(engines.single.threads ?? 1),
    s1.toFixed(1),
    `(threaded wasm takes ${(w / s1).toFixed(2)}x its time)`,
  );
  if (python) row(`PyTorch reference (torch ${torchVersion}, ${python})`, String(THREADS), t!.toFixed(1), '');
  else row('PyTorch reference', '-', '-', 'skipped: no python3 with torch (apt-get install python3-torch)');
  row(
    `bare tfjs loop on ${bareOn}`,
    String(engines[bareOn].threads ?? '?'),
    median(ms.bare).toFixed(1),
    `Athanor's overhead over it ${((median(ms.ratio) - 1) * 100).toFixed(2)}% (median of per-round ratios; target: under 3%)`,
  );
  console.log(
    `  tensors alive after the last round: ${Object.entries(tensors)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}

if (process.argv.includes('--child')) {
  child(Number(arg('--child')), arg('--kind') === 'native' ? 'native' : 'wasm').catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
