/**
 * How long loading and scaling all 70,000 MNIST images takes, from the bundled raw idx files and from gzip copies.
 * Run: npx tsx bench/data-load.ts   (target: under 500 ms for the raw set on the 2-core dev machine)
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { bundledMnistDir, loadMnist, type MnistData } from '../electron/training/core/dataset';

const RUNS = 7;

async function medianMs(dir: string): Promise<{ ms: number; data: MnistData }> {
  const times: number[] = [];
  let data: MnistData | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    data = await loadMnist({ dir });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[RUNS >> 1], data: data! };
}

/** Gzip copies in a temp folder, as a user's downloaded `*.gz` files would be. */
async function gzipCopies(src: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'athanor-bench-'));
  for (const name of await fs.readdir(src)) {
    await fs.writeFile(path.join(dir, `${name}.gz`), await promisify(gzip)(await fs.readFile(path.join(src, name))));
  }
  return dir;
}

function labelCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

// A function, not top-level await: tsx runs this package (no "type": "module") as CommonJS.
async function main(): Promise<void> {
  const rawDir = bundledMnistDir();
  const raw = await medianMs(rawDir);
  console.log(`raw  ${rawDir}: median ${raw.ms.toFixed(1)} ms over ${RUNS} loads`);
  const gzDir = await gzipCopies(rawDir);
  try {
    const gz = await medianMs(gzDir);
    console.log(`gzip ${gzDir}: median ${gz.ms.toFixed(1)} ms over ${RUNS} loads`);
  } finally {
    await fs.rm(gzDir, { recursive: true, force: true });
  }
  console.log(
    `train ${raw.data.train.count} images, label counts ${JSON.stringify(labelCounts(raw.data.train.labels))}`,
  );
  console.log(`test  ${raw.data.test.count} images, label counts ${JSON.stringify(labelCounts(raw.data.test.labels))}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
