import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  MACOS_GPU_REASON, cachedDevices, detectCpu, detectDevices, detectGpus, engineStatuses, hardwareNames, parseCudaVersion, parseGpuList,
  type ExecFn,
} from '../../electron/services/devices';
import type { EngineInfo } from '../../electron/shared/ipc-contract';
import { forkWorker, probeEngine } from '../../electron/training/process/run-worker';
import { FakeWorker } from './fake-worker';

/** Recorded on an H200 machine with driver 580.159.04 (`nvidia-smi`, the query, and a query that matched no GPU). */
const recorded = (name: string) => readFileSync(join(__dirname, 'nvidia-smi', name), 'utf8');
const H200_QUERY = recorded('h200-query.txt');
const H200_PLAIN = recorded('h200-plain.txt');
const NO_DEVICES = recorded('no-devices.txt');
/** Two-GPU workstation and a machine whose driver is not loaded, as nvidia-smi prints them. */
const TWO_GPUS = 'NVIDIA GeForce RTX 3090, 24576, 550.54.14\nNVIDIA RTX A4000, 16376, 550.54.14\n';
const DRIVER_FAILURE = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. " +
  'Make sure that the latest NVIDIA driver is installed and running.\n\n';

const execError = (props: Record<string, unknown>) => Object.assign(new Error('Command failed: nvidia-smi'), props);

/** A fake exec: the query and the plain call answer from fixtures. */
function fakeExec(query: () => Promise<string>, plain: () => Promise<string> = async () => H200_PLAIN): ExecFn {
  return vi.fn(async (file: string, args: string[]) => {
    expect(file).toBe('nvidia-smi');
    return { stdout: args.length > 0 ? await query() : await plain(), stderr: '' };
  });
}

const wasm: EngineInfo = { engine: 'wasm', device: 'cpu', backend: 'wasm', version: '4.22.0', fallbackReason: '@tensorflow/tfjs-node is not installed' };
const nativeGpu: EngineInfo = { engine: 'tfjs-node-gpu', device: 'gpu', backend: 'tensorflow', version: '4.22.0' };
const rtx = { vendor: 'amd', name: 'AMD Radeon RX 6800', api: 'D3D12', software: false };
const webgpuEngine: EngineInfo = { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0', adapter: rtx };
const webglEngine: EngineInfo = { engine: 'webgl', device: 'gpu', backend: 'webgl', version: '4.22.0', adapter: rtx };

describe('parsing nvidia-smi', () => {
  it('reads the recorded H200 query and the CUDA version from the header', () => {
    expect(parseGpuList(H200_QUERY)).toEqual([{ name: 'NVIDIA H200', memoryMiB: 143771, driver: '580.159.04', cuda: null }]);
    expect(parseCudaVersion(H200_PLAIN)).toBe('13.0');
    expect(parseCudaVersion('| NVIDIA-SMI 550.54.14   Driver Version: 550.54.14   CUDA Version: 12.4     |')).toBe('12.4');
    expect(parseCudaVersion('no header here')).toBeNull();
  });

  it('reads two GPUs, CRLF lines, names with commas and unreported memory', () => {
    expect(parseGpuList(TWO_GPUS).map((g) => [g.name, g.memoryMiB])).toEqual([['NVIDIA GeForce RTX 3090', 24576], ['NVIDIA RTX A4000', 16376]]);
    expect(parseGpuList('Tesla K80, rev A, 11441, 470.82.01\r\nGRID T4-8Q, [N/A], 535.1\r\n')).toEqual([
      { name: 'Tesla K80, rev A', memoryMiB: 11441, driver: '470.82.01', cuda: null },
      { name: 'GRID T4-8Q', memoryMiB: 0, driver: '535.1', cuda: null },
    ]);
  });

  it('finds nothing in garbage', () => {
    for (const junk of ['', NO_DEVICES, DRIVER_FAILURE, H200_PLAIN, 'a, b, c', '<html>,,</html>', '\u0000\u0001, 12, x']) {
      expect(parseGpuList(junk)).toEqual([]);
    }
  });
});

describe('detectGpus', () => {
  it('one GPU: name, memory, driver and CUDA version', async () => {
    expect(await detectGpus(fakeExec(async () => H200_QUERY), 'linux')).toEqual({
      gpus: [{ name: 'NVIDIA H200', memoryMiB: 143771, driver: '580.159.04', cuda: '13.0' }], note: null,
    });
  });

  it('two GPUs share the driver\'s CUDA version; a failing header call only loses the CUDA version', async () => {
    const two = await detectGpus(fakeExec(async () => TWO_GPUS), 'win32');
    expect(two.gpus.map((g) => g.cuda)).toEqual(['13.0', '13.0']);
    const noHeader = await detectGpus(fakeExec(async () => TWO_GPUS, async () => { throw execError({ code: 1 }); }), 'linux');
    expect(noHeader.gpus.map((g) => g.cuda)).toEqual([null, null]);
    expect(noHeader.note).toBeNull();
  });

  it('no nvidia-smi at all', async () => {
    const exec = fakeExec(async () => { throw execError({ code: 'ENOENT', errno: -2, syscall: 'spawn nvidia-smi' }); });
    expect(await detectGpus(exec, 'linux')).toEqual({ gpus: [], note: 'no NVIDIA GPU found (nvidia-smi is not installed)' });
  });

  it('a driver failure is reported with nvidia-smi\'s own words', async () => {
    const exec = fakeExec(async () => { throw execError({ code: 9, stdout: DRIVER_FAILURE, stderr: '' }); });
    expect(await detectGpus(exec, 'linux')).toEqual({
      gpus: [],
      note: "no NVIDIA GPU found (nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. " +
        'Make sure that the latest NVIDIA driver is installed and running.)',
    });
    const none = fakeExec(async () => { throw execError({ code: 6, stdout: NO_DEVICES }); });
    expect((await detectGpus(none, 'linux')).note).toBe('no NVIDIA GPU found (nvidia-smi failed: No devices were found)');
  });

  it('a hung nvidia-smi is killed and reported as a timeout', async () => {
    const exec = fakeExec(async () => { throw execError({ killed: true, signal: 'SIGTERM', code: null }); });
    expect((await detectGpus(exec, 'linux')).note).toBe('no NVIDIA GPU found (nvidia-smi did not answer within 10 s)');
  });

  it('garbage on success is not a GPU', async () => {
    expect(await detectGpus(fakeExec(async () => 'Segmentation fault\n'), 'linux')).toEqual({
      gpus: [], note: 'no NVIDIA GPU found (nvidia-smi listed none; it said: Segmentation fault)',
    });
  });

  it('macOS does not even look: there is no CUDA there', async () => {
    const exec = vi.fn<ExecFn>();
    expect(await detectGpus(exec, 'darwin')).toEqual({ gpus: [], note: MACOS_GPU_REASON });
    expect(exec).not.toHaveBeenCalled();
  });

  it('the default exec really runs a program and reports ENOENT for a missing one', async () => {
    const { execNode } = await import('../../electron/services/devices');
    await expect(execNode('definitely-not-nvidia-smi-here', [], { timeout: 5000 })).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await execNode(process.execPath, ['-e', 'process.stdout.write("NVIDIA X, 1, 2")'], { timeout: 5000 })).stdout).toBe('NVIDIA X, 1, 2');
  });
});

describe('engine statuses and the whole report', () => {
  const oneGpu = { gpus: parseGpuList(H200_QUERY), note: null };

  it('GPU found and the probe fails: the probe\'s reason, e.g. missing CUDA libraries', () => {
    const reason = 'libcudart.so.11.0 not found: install CUDA 11.2 and cuDNN 8.1';
    expect(engineStatuses(oneGpu, { ok: true, engine: wasm }, { ok: false, reason }).gpuEngines.cuda)
      .toEqual({ device: 'gpu', available: false, engine: null, reason });
  });

  it('with a help context, a failed GPU probe reads as the step that fixes it', () => {
    const help = { platform: 'linux' as const, packaged: false };
    const cuda = engineStatuses(oneGpu, { ok: true, engine: wasm }, { ok: false, reason: 'libcudart.so.11.0 not found: install CUDA 11.2 and cuDNN 8.1' }, help);
    expect(cuda.gpuEngines.cuda.reason).toMatch(/^CUDA 11\.2 was not found \(libcudart\.so\.11\.0\): install CUDA 11\.2 and cuDNN 8\.1/);
    const missing = engineStatuses(oneGpu, { ok: true, engine: wasm }, { ok: false, reason: '@tensorflow/tfjs-node-gpu is not installed (...)' }, help);
    expect(missing.gpuEngines.cuda.reason).toMatch(
      /^tfjs-node-gpu is not installed: run "npm install --save-optional --save-exact @tensorflow\/tfjs-node-gpu@4\.22\.0"/);
    const odd = engineStatuses(oneGpu, { ok: true, engine: wasm }, { ok: false, reason: 'segfault in cuInit' }, help);
    expect(odd.gpuEngines.cuda.reason).toMatch(/^TensorFlow could not use the NVIDIA GPU: .* \(segfault in cuInit\)$/);
  });

  it('GPU found and the probe loads the native GPU engine', () => {
    expect(engineStatuses(oneGpu, { ok: true, engine: wasm }, { ok: true, engine: nativeGpu }).gpu)
      .toEqual({ device: 'gpu', available: true, engine: nativeGpu, reason: null });
  });

  it('CPU is always available, and says when and why it is on the fallback engine', () => {
    const { cpu } = engineStatuses(oneGpu, { ok: true, engine: wasm }, null);
    expect(cpu).toEqual({
      device: 'cpu', available: true, engine: wasm,
      reason: 'on the fallback engine (wasm, slower) because @tensorflow/tfjs-node is not installed',
    });
    const native = { ...wasm, engine: 'tfjs-node' as const, backend: 'tensorflow', fallbackReason: undefined };
    expect(engineStatuses(oneGpu, { ok: true, engine: native }, null).cpu.reason).toBeNull();
    const broken = engineStatuses(oneGpu, { ok: false, reason: 'the training process exited unexpectedly with code 1' }, null).cpu;
    expect(broken.available).toBe(true);
    expect(broken.reason).toMatch(/engine check failed \(the training process exited unexpectedly with code 1\)/);
  });

  it('a native CPU engine that loads but fails its training step is not ready: the panel says why, in words', () => {
    // What the worker's probe reports for tfjs-node 4.22 on Node 24 without node-compat.ts (native.test.ts makes it).
    const reason = '@tensorflow/tfjs-node loaded but cannot train: (0 , util_1.isNullOrUndefined) is not a function';
    const { cpu } = engineStatuses(oneGpu, { ok: true, engine: { ...wasm, fallbackReason: reason } }, null, undefined, null,
      { state: 'installed' });
    expect(cpu.engine?.engine).toBe('wasm');
    expect(cpu.reason).toBe(`on the fallback engine (wasm, slower) because ${reason}`);
  });

  it('tells a broken copy of the native CPU engine from a missing one, in words for who reads them', () => {
    const dll = ['C:', 'Athanor', 'resources', 'app.asar.unpacked', 'node_modules', '@tensorflow', 'tfjs-node', 'lib', 'napi-v8',
      'tensorflow.dll'].join('\\');
    const probe = { ok: true as const, engine: { ...wasm, fallbackReason: 'a DLL that @tensorflow/tfjs-node needs was not found (...)' } };
    const installed = { platform: 'win32' as const, packaged: true };
    expect(engineStatuses(oneGpu, probe, null, installed, null, { state: 'broken', missing: [dll] }).cpu.reason).toBe(
      'on the fallback engine (wasm, slower) because the native CPU engine (tfjs-node) in this copy of Athanor is broken '
      + '(napi-v8/tensorflow.dll missing): reinstall Athanor');
    const checkout = { platform: 'linux' as const, packaged: false };
    const lib = '/src/athanor/node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.2';
    expect(engineStatuses(oneGpu, probe, null, checkout, null, { state: 'broken', missing: [lib] }).cpu.reason).toBe(
      'on the fallback engine (wasm, slower) because the native CPU engine (tfjs-node) in this checkout is broken '
      + '(lib/libtensorflow.so.2 missing): delete node_modules/@tensorflow/tfjs-node, then run "npm install" with internet access '
      + '(it downloads libtensorflow), or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip\'s tensorflow-cpu)');
    // Absent: the probe's reason, which the worker already words for an installed app.
    const absent = { ok: true as const, engine: { ...wasm, fallbackReason: '@tensorflow/tfjs-node is not installed in this copy of Athanor (...)' } };
    expect(engineStatuses(oneGpu, absent, null, installed, null, { state: 'absent' }).cpu.reason).toBe(
      'on the fallback engine (wasm, slower) because @tensorflow/tfjs-node is not installed in this copy of Athanor (...)');
  });

  it('detectDevices: no GPU means no GPU probe, and the GPU reason is the detection note', async () => {
    const probe = vi.fn(async () => ({ ok: true, engine: wasm }));
    const exec = fakeExec(async () => { throw execError({ code: 'ENOENT' }); });
    const system = { cpus: () => [{ model: '  Intel(R)  Xeon(R) CPU @ 2.20GHz ' }, { model: 'x' }], totalmem: () => 8 * 2 ** 30 } as never;
    const report = await detectDevices({ probe, exec, platform: 'linux', system });
    expect(probe.mock.calls).toEqual([['cpu']]);
    expect(report.cpu).toEqual({ model: 'Intel(R) Xeon(R) CPU @ 2.20GHz', cores: 2, memoryGiB: 8 });
    expect(report.gpuEngines.cuda).toEqual({
      device: 'gpu', available: false, engine: null, reason: 'no NVIDIA GPU found (nvidia-smi is not installed)',
    });
    expect(report.engines.gpu.available).toBe(false);
    expect(report.engines.gpu.reason).toBe('no GPU engine can run here: WebGPU, WebGL and CUDA each say why under Devices');
    expect(report.engines.cpu.available).toBe(true);
    expect(hardwareNames(report)).toEqual({ cpu: 'Intel(R) Xeon(R) CPU @ 2.20GHz', gpu: null });
  });

  it('detectDevices: with a GPU both probes run, each on its own; a throwing probe becomes a reason', async () => {
    const probe = vi.fn(async (device: 'cpu' | 'gpu') => {
      if (device === 'gpu') throw new Error('@tensorflow/tfjs-node-gpu is not installed');
      return { ok: true, engine: wasm };
    });
    const report = await detectDevices({ probe, exec: fakeExec(async () => H200_QUERY), platform: 'linux' });
    expect(probe.mock.calls.map((c) => c[0]).sort()).toEqual(['cpu', 'gpu']);
    expect(report.gpus[0].name).toBe('NVIDIA H200');
    expect(report.gpuEngines.cuda.reason).toBe('@tensorflow/tfjs-node-gpu is not installed');
    expect(hardwareNames(report).gpu).toBe('NVIDIA H200');
  });

  it('Auto: CUDA where it loads, else WebGPU, else WebGL saying why, else every engine\'s reason', () => {
    const browser = (webgpu: boolean, webgl: boolean) => ({
      webgpu: webgpu ? { ok: true as const, engine: webgpuEngine } : { ok: false as const, reason: 'WebGPU found no adapter: update it', adapter: undefined },
      webgl: webgl ? { ok: true as const, engine: webglEngine } : { ok: false as const, reason: 'WebGL 2 is not available', adapter: undefined },
    });
    const cpu = { ok: true, engine: wasm };
    expect(engineStatuses(oneGpu, cpu, { ok: true, engine: nativeGpu }, undefined, browser(true, true)).gpu.engine).toBe(nativeGpu);
    const webgpu = engineStatuses(oneGpu, cpu, { ok: false, reason: 'x' }, undefined, browser(true, true));
    expect(webgpu.gpu).toEqual({ device: 'gpu', available: true, engine: webgpuEngine, reason: null, adapter: rtx });
    const webgl = engineStatuses(oneGpu, cpu, { ok: false, reason: 'x' }, undefined, browser(false, true)).gpu;
    expect(webgl.engine).toBe(webglEngine);
    expect(webgl.reason).toBe('on WebGL, because WebGPU is not available: WebGPU found no adapter: update it');
    const none = engineStatuses({ gpus: [], note: 'no NVIDIA GPU found' }, cpu, null, undefined, browser(false, false)).gpu;
    expect(none).toEqual({
      device: 'gpu', available: false, engine: null,
      reason: 'no GPU engine can run here: WebGPU, WebGL and CUDA each say why under Devices',
    });
  });

  it('a refused software adapter keeps its name in the report, as the reason\'s subject', async () => {
    const software = { vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true };
    const reason = "WebGPU's only adapter is SwiftShader, a software renderer that runs on the CPU, not a GPU: install or update the graphics driver";
    const probePage = async () => ({
      ok: false, reason,
      browserEngines: { webgpu: { ok: false as const, reason, adapter: software }, webgl: { ok: false as const, reason, adapter: software } },
    });
    const report = await detectDevices({ probe: async () => ({ ok: true, engine: wasm }), probePage, exec: fakeExec(async () => { throw execError({ code: 'ENOENT' }); }), platform: 'linux' });
    expect(report.gpuEngines.webgpu).toEqual({ device: 'gpu', available: false, engine: null, reason, adapter: software });
    expect(report.adapters).toEqual([software, software]);
    expect(report.engines.gpu.available).toBe(false);
  });

  it('detectDevices with a GPU page: WebGPU ready on any vendor\'s GPU, named on the rows; a failed page is a reason', async () => {
    const probePage = vi.fn(async () => ({ ok: true, engine: webgpuEngine, browserEngines: { webgpu: { ok: true as const, engine: webgpuEngine }, webgl: { ok: true as const, engine: webglEngine } } }));
    const exec = fakeExec(async () => { throw execError({ code: 'ENOENT' }); });
    const report = await detectDevices({ probe: async () => ({ ok: true, engine: wasm }), probePage, exec, platform: 'win32' });
    expect(probePage).toHaveBeenCalledTimes(1);
    expect(report.engines.gpu.engine).toBe(webgpuEngine);
    expect(report.adapters).toEqual([rtx, rtx]);
    expect(hardwareNames(report)).toEqual({ cpu: expect.any(String), gpu: 'AMD Radeon RX 6800' });

    const crashed = await detectDevices({ probe: async () => ({ ok: true, engine: wasm }), probePage: async () => { throw new Error('the GPU page\'s process ended (crashed)'); }, exec, platform: 'linux' });
    expect(crashed.gpuEngines.webgpu.reason).toBe("the GPU page failed: the GPU page's process ended (crashed)");
    expect(crashed.gpuEngines.webgl.available).toBe(false);
  });

  it('detectCpu reads this machine', () => {
    const cpu = detectCpu();
    expect(cpu.cores).toBeGreaterThan(0);
    expect(cpu.memoryGiB).toBeGreaterThan(0);
    expect(cpu.model.length).toBeGreaterThan(0);
  });
});

describe('cachedDevices: refreshes are coalesced', () => {
  it('50 refreshes at once start one CPU probe process and one GPU page, not 100; a later refresh probes again', async () => {
    let cpuProcesses = 0;
    let pages = 0;
    const webgpuReady = { ok: true as const, engine: webgpuEngine };
    const devices = cachedDevices(() => detectDevices({
      // The real probe: a forked worker process that starts the (fallback) CPU engine and answers.
      probe: (device) => probeEngine(() => { cpuProcesses++; return forkWorker(); }, device, { preferFallback: true }),
      // A GPU page that answers its probe as the real one does; this machine has no GPU for a real one.
      probePage: () => probeEngine(() => {
        pages++;
        return new FakeWorker((page, m) => {
          if (m.type === 'probe') page.emit({ type: 'probe-result', device: 'gpu', ok: true, engine: webgpuEngine, browserEngines: { webgpu: webgpuReady, webgl: webgpuReady } });
        });
      }, 'gpu'),
      exec: fakeExec(async () => { throw execError({ code: 'ENOENT' }); }),
      platform: 'linux',
    }));
    const first = devices.get();
    const reports = await Promise.all([first, ...Array.from({ length: 50 }, () => devices.get(true))]);
    expect(cpuProcesses).toBe(1);
    expect(pages).toBe(1);
    expect(new Set(reports).size).toBe(1);
    expect(reports[0].engines.cpu.engine?.engine).toBe('wasm');
    expect(reports[0].gpuEngines.webgpu.available).toBe(true);
    expect(devices.latest()).toBe(reports[0]);

    expect(await devices.get()).toBe(reports[0]); // cached: nothing new runs
    expect(cpuProcesses).toBe(1);
    const again = await Promise.all([devices.get(true), devices.get(true), devices.get()]);
    expect(cpuProcesses).toBe(2);
    expect(pages).toBe(2);
    expect(new Set(again).size).toBe(1);
    expect(again[0]).not.toBe(reports[0]);
  }, 120_000);

  it('a failed detection is shared by the requests that waited on it, and the next request tries again', async () => {
    let calls = 0;
    let fail: (err: Error) => void = () => undefined;
    const devices = cachedDevices(() => {
      calls++;
      return calls === 1 ? new Promise((_resolve, reject) => (fail = reject)) : Promise.resolve({ cpu: { model: 'x', cores: 1, memoryGiB: 1 } } as never);
    });
    const waiting = Array.from({ length: 10 }, () => devices.get(true).then(() => 'ok', (err: Error) => err.message));
    fail(new Error('probe crashed'));
    expect(await Promise.all(waiting)).toEqual(new Array(10).fill('probe crashed'));
    expect(calls).toBe(1);
    expect((await devices.get()).cpu.model).toBe('x');
    expect(calls).toBe(2);
  });
});
