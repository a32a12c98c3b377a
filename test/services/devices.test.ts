import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cachedDevices, detectCpu, detectDevices, hardwareNames } from '../../electron/services/devices';
import { engineStatuses } from '../../electron/services/engine-statuses';
import { detectGpus, execNode, parseCudaVersion, parseGpuList, type ExecFn } from '../../electron/services/nvidia-smi';
import { describeReason } from '../../electron/shared/describe-reason';
import type { EngineInfo } from '../../electron/shared/ipc-contract';
import type { Reason } from '../../electron/shared/reasons';
import { BUILT } from '../training/cli/helpers';
import { forkWorker } from '../../electron/training/process/worker-transport';
import { probeEngine } from '../../electron/training/process/probe-engine';
import { FakeWorker } from './fake-worker';

/** Recorded on an H200 machine with driver 580.159.04 (`nvidia-smi`, the query, and a query that matched no GPU). */
const recorded = (name: string) => readFileSync(join(__dirname, 'nvidia-smi', name), 'utf8');
const H200_QUERY = recorded('h200-query.txt');
const H200_PLAIN = recorded('h200-plain.txt');
const NO_DEVICES = recorded('no-devices.txt');
/** Two-GPU workstation and a machine whose driver is not loaded, as nvidia-smi prints them. */
const TWO_GPUS = 'NVIDIA GeForce RTX 3090, 24576, 550.54.14\nNVIDIA RTX A4000, 16376, 550.54.14\n';
const DRIVER_FAILURE =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. " +
  'Make sure that the latest NVIDIA driver is installed and running.\n\n';

/** A reason in the words a user sees. */
const said = (reason: Reason | null | undefined): string | null => (reason ? describeReason(reason) : null);
/** What detectGpus found, with its note in words. */
const worded = ({ gpus, note }: { gpus: unknown[]; note: Reason | null }) => ({ gpus, note: said(note) });

const execError = (props: Record<string, unknown>) => Object.assign(new Error('Command failed: nvidia-smi'), props);

/** A fake exec: the query and the plain call answer from fixtures. */
function fakeExec(query: () => Promise<string>, plain: () => Promise<string> = async () => H200_PLAIN): ExecFn {
  return vi.fn(async (file: string, args: string[]) => {
    expect(file).toBe('nvidia-smi');
    return { stdout: args.length > 0 ? await query() : await plain(), stderr: '' };
  });
}

const wasm: EngineInfo = {
  engine: 'wasm',
  device: 'cpu',
  backend: 'wasm',
  version: '4.22.0',
  fallbackReason: { code: 'native-not-installed', pkg: '@tensorflow/tfjs-node', packaged: false },
};
const nativeGpu: EngineInfo = { engine: 'tfjs-node-gpu', device: 'gpu', backend: 'tensorflow', version: '4.22.0' };
const rtx = { vendor: 'amd', name: 'AMD Radeon RX 6800', api: 'D3D12', software: false };
const webgpuEngine: EngineInfo = {
  engine: 'webgpu',
  device: 'gpu',
  backend: 'webgpu',
  version: '4.22.0',
  adapter: rtx,
};
const webglEngine: EngineInfo = { engine: 'webgl', device: 'gpu', backend: 'webgl', version: '4.22.0', adapter: rtx };

describe('parsing nvidia-smi', () => {
  it('reads the recorded H200 query and the CUDA version from the header', () => {
    expect(parseGpuList(H200_QUERY)).toEqual([
      { name: 'NVIDIA H200', memoryMiB: 143771, driver: '580.159.04', cuda: null },
    ]);
    expect(parseCudaVersion(H200_PLAIN)).toBe('13.0');
    expect(parseCudaVersion('| NVIDIA-SMI 550.54.14   Driver Version: 550.54.14   CUDA Version: 12.4     |')).toBe(
      '12.4',
    );
    expect(parseCudaVersion('no header here')).toBeNull();
  });

  it('reads two GPUs, CRLF lines, names with commas and unreported memory', () => {
    expect(parseGpuList(TWO_GPUS).map((g) => [g.name, g.memoryMiB])).toEqual([
      ['NVIDIA GeForce RTX 3090', 24576],
      ['NVIDIA RTX A4000', 16376],
    ]);
    expect(parseGpuList('Tesla K80, rev A, 11441, 470.82.01\r\nGRID T4-8Q, [N/A], 535.1\r\n')).toEqual([
      { name: 'Tesla K80, rev A', memoryMiB: 11441, driver: '470.82.01', cuda: null },
      { name: 'GRID T4-8Q', memoryMiB: 0, driver: '535.1', cuda: null },
    ]);
  });

  it('finds nothing in garbage', () => {
    for (const junk of [
      '',
      NO_DEVICES,
      DRIVER_FAILURE,
      H200_PLAIN,
      'a, b, c',
      '<html>,,</html>',
      '\u0000\u0001, 12, x',
    ]) {
      expect(parseGpuList(junk)).toEqual([]);
    }
  });
});

describe('detectGpus', () => {
  it('one GPU: name, memory, driver and CUDA version', async () => {
    expect(
      await detectGpus(
        fakeExec(async () => H200_QUERY),
        'linux',
      ),
    ).toEqual({
      gpus: [{ name: 'NVIDIA H200', memoryMiB: 143771, driver: '580.159.04', cuda: '13.0' }],
      note: null,
    });
  });

  it("two GPUs share the driver's CUDA version; a failing header call only loses the CUDA version", async () => {
    const two = await detectGpus(
      fakeExec(async () => TWO_GPUS),
      'win32',
    );
    expect(two.gpus.map((g) => g.cuda)).toEqual(['13.0', '13.0']);
    const noHeader = await detectGpus(
      fakeExec(
        async () => TWO_GPUS,
        async () => {
          throw execError({ code: 1 });
        },
      ),
      'linux',
    );
    expect(noHeader.gpus.map((g) => g.cuda)).toEqual([null, null]);
    expect(noHeader.note).toBeNull();
  });

  it('no nvidia-smi at all', async () => {
    const exec = fakeExec(async () => {
      throw execError({ code: 'ENOENT', errno: -2, syscall: 'spawn nvidia-smi' });
    });
    expect(worded(await detectGpus(exec, 'linux'))).toEqual({
      gpus: [],
      note: 'no NVIDIA GPU found (nvidia-smi is not installed)',
    });
  });

  it("a driver failure is reported with nvidia-smi's own words", async () => {
    const exec = fakeExec(async () => {
      throw execError({ code: 9, stdout: DRIVER_FAILURE, stderr: '' });
    });
    expect(worded(await detectGpus(exec, 'linux'))).toEqual({
      gpus: [],
      note:
        "no NVIDIA GPU found (nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. " +
        'Make sure that the latest NVIDIA driver is installed and running.)',
    });
    const none = fakeExec(async () => {
      throw execError({ code: 6, stdout: NO_DEVICES });
    });
    expect(said((await detectGpus(none, 'linux')).note)).toBe(
      'no NVIDIA GPU found (nvidia-smi failed: No devices were found)',
    );
  });

  it('a hung nvidia-smi is killed and reported as a timeout', async () => {
    const exec = fakeExec(async () => {
      throw execError({ killed: true, signal: 'SIGTERM', code: null });
    });
    expect(said((await detectGpus(exec, 'linux')).note)).toBe(
      'no NVIDIA GPU found (nvidia-smi did not answer within 10 s)',
    );
  });

  it('garbage on success is not a GPU', async () => {
    expect(
      worded(
        await detectGpus(
          fakeExec(async () => 'Segmentation fault\n'),
          'linux',
        ),
      ),
    ).toEqual({
      gpus: [],
      note: 'no NVIDIA GPU found (nvidia-smi listed none; it said: Segmentation fault)',
    });
  });

  it('macOS does not even look: there is no CUDA there', async () => {
    const exec = vi.fn<ExecFn>();
    expect(worded(await detectGpus(exec, 'darwin'))).toEqual({
      gpus: [],
      note: 'the CUDA engine needs an NVIDIA GPU with CUDA, which macOS does not have',
    });
    expect(exec).not.toHaveBeenCalled();
  });

  it('the default exec really runs a program and reports ENOENT for a missing one', async () => {
    await expect(execNode('definitely-not-nvidia-smi-here', [], { timeout: 5000 })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(
      (await execNode(process.execPath, ['-e', 'process.stdout.write("NVIDIA X, 1, 2")'], { timeout: 5000 })).stdout,
    ).toBe('NVIDIA X, 1, 2');
  });
});

describe('engine statuses and the whole report', () => {
  const oneGpu = { gpus: parseGpuList(H200_QUERY), note: null };
  const cpuOnWasm = { ok: true, engine: wasm };
  const missingCudart: Reason = {
    code: 'native-library-missing',
    pkg: '@tensorflow/tfjs-node-gpu',
    library: 'libcudart.so.11.0',
    packaged: false,
  };

  it("GPU found and the probe fails: the probe's reason, e.g. missing CUDA libraries", () => {
    const { cuda } = engineStatuses({
      detection: oneGpu,
      cpuProbe: cpuOnWasm,
      gpuProbe: { ok: false, reason: missingCudart },
    }).gpuEngines;
    expect(cuda).toEqual({ device: 'gpu', available: false, engine: null, reason: missingCudart });
    expect(said(cuda.reason)).toBe(
      "libcudart.so.11.0 not found: install CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9.1's GPU build needs exactly these)",
    );
  });

  it('with a help context, a failed GPU probe reads as the step that fixes it', () => {
    const help = { platform: 'linux' as const, packaged: false };
    const cuda = (reason: Reason) =>
      said(
        engineStatuses({ detection: oneGpu, cpuProbe: cpuOnWasm, gpuProbe: { ok: false, reason }, help }).gpuEngines
          .cuda.reason,
      );
    expect(cuda(missingCudart)).toMatch(
      /^CUDA 11\.2 was not found \(libcudart\.so\.11\.0\): install CUDA 11\.2 and cuDNN 8\.1/,
    );
    expect(cuda({ code: 'native-not-installed', pkg: '@tensorflow/tfjs-node-gpu', packaged: false })).toMatch(
      /^tfjs-node-gpu is not installed: run "npm install --save-optional --save-exact @tensorflow\/tfjs-node-gpu@4\.22\.0"/,
    );
    expect(cuda({ code: 'error', message: 'segfault in cuInit' })).toMatch(
      /^TensorFlow could not use the NVIDIA GPU: .* \(segfault in cuInit\)$/,
    );
    // The help is data too: the situation, and the load failure it came from.
    const status = engineStatuses({
      detection: oneGpu,
      cpuProbe: cpuOnWasm,
      gpuProbe: { ok: false, reason: missingCudart },
      help,
    });
    expect(status.gpuEngines.cuda.reason).toEqual({
      code: 'cuda-help',
      situation: 'cuda-missing',
      platform: 'linux',
      packaged: false,
      cause: missingCudart,
    });
  });

  it('GPU found and the probe loads the native GPU engine', () => {
    expect(
      engineStatuses({ detection: oneGpu, cpuProbe: cpuOnWasm, gpuProbe: { ok: true, engine: nativeGpu } }).gpu,
    ).toEqual({ device: 'gpu', available: true, engine: nativeGpu, reason: null });
  });

  it('CPU is always available, and says when and why it is on the fallback engine', () => {
    const { cpu } = engineStatuses({ detection: oneGpu, cpuProbe: cpuOnWasm, gpuProbe: null });
    expect({ ...cpu, reason: said(cpu.reason) }).toEqual({
      device: 'cpu',
      available: true,
      engine: wasm,
      reason:
        'on the fallback engine (wasm, slower) because @tensorflow/tfjs-node is not installed: run "npm install" with internet ' +
        'access (it downloads libtensorflow), or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip\'s tensorflow-cpu)',
    });
    expect(cpu.reason).toEqual({ code: 'cpu-fallback', engine: 'wasm', cause: wasm.fallbackReason });
    const native = { ...wasm, engine: 'tfjs-node' as const, backend: 'tensorflow', fallbackReason: undefined };
    expect(
      engineStatuses({ detection: oneGpu, cpuProbe: { ok: true, engine: native }, gpuProbe: null }).cpu.reason,
    ).toBeNull();
    const exited: Reason = { code: 'probe-ended', exit: { code: 'worker-exited', exitCode: 1 } };
    const broken = engineStatuses({ detection: oneGpu, cpuProbe: { ok: false, reason: exited }, gpuProbe: null }).cpu;
    expect(broken.available).toBe(true);
    expect(said(broken.reason)).toMatch(/engine check failed \(the training process exited unexpectedly with code 1\)/);
  });

  it('a native CPU engine that loads but fails its training step is not ready: the panel says why, in words', () => {
    // What the worker's probe reports for tfjs-node 4.22 on Node 24 without node-compat.ts (native.test.ts makes it).
    const reason: Reason = {
      code: 'native-cannot-train',
      pkg: '@tensorflow/tfjs-node',
      detail: '(0 , util_1.isNullOrUndefined) is not a function',
    };
    const { cpu } = engineStatuses({
      detection: oneGpu,
      cpuProbe: { ok: true, engine: { ...wasm, fallbackReason: reason } },
      gpuProbe: null,
      cpuCopy: { state: 'installed' },
    });
    expect(cpu.engine?.engine).toBe('wasm');
    expect(said(cpu.reason)).toBe(
      'on the fallback engine (wasm, slower) because @tensorflow/tfjs-node loaded but cannot train: ' +
        '(0 , util_1.isNullOrUndefined) is not a function',
    );
  });

  it('tells a broken copy of the native CPU engine from a missing one, in words for who reads them', () => {
    const dll = [
      'C:',
      'Athanor',
      'resources',
      'app.asar.unpacked',
      'node_modules',
      '@tensorflow',
      'tfjs-node',
      'lib',
      'napi-v8',
      'tensorflow.dll',
    ].join('\\');
    const cpuProbe = {
      ok: true as const,
      engine: {
        ...wasm,
        fallbackReason: { code: 'native-dll-missing', pkg: '@tensorflow/tfjs-node', packaged: true } as const,
      },
    };
    const installed = { platform: 'win32' as const, packaged: true };
    const cpuReason = (inputs: Omit<Parameters<typeof engineStatuses>[0], 'detection' | 'gpuProbe'>) =>
      said(engineStatuses({ detection: oneGpu, gpuProbe: null, ...inputs }).cpu.reason);
    expect(cpuReason({ cpuProbe, help: installed, cpuCopy: { state: 'broken', missing: [dll] } })).toBe(
      'on the fallback engine (wasm, slower) because the native CPU engine (tfjs-node) in this copy of Athanor is broken ' +
        '(napi-v8/tensorflow.dll missing): reinstall Athanor',
    );
    const checkout = { platform: 'linux' as const, packaged: false };
    const lib = '/src/athanor/node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.2';
    expect(cpuReason({ cpuProbe, help: checkout, cpuCopy: { state: 'broken', missing: [lib] } })).toBe(
      'on the fallback engine (wasm, slower) because the native CPU engine (tfjs-node) in this checkout is broken ' +
        '(lib/libtensorflow.so.2 missing): delete node_modules/@tensorflow/tfjs-node, then run "npm install" with internet access ' +
        '(it downloads libtensorflow), or on Linux x64 "npm run build:tfjs-node" (it builds the engine from pip\'s tensorflow-cpu)',
    );
    // Absent: the probe's reason, which the worker already made for an installed app.
    const absent = {
      ok: true as const,
      engine: {
        ...wasm,
        fallbackReason: { code: 'native-not-installed', pkg: '@tensorflow/tfjs-node', packaged: true } as const,
      },
    };
    expect(cpuReason({ cpuProbe: absent, help: installed, cpuCopy: { state: 'absent' } })).toBe(
      'on the fallback engine (wasm, slower) because @tensorflow/tfjs-node is not installed in this copy of Athanor (it was built ' +
        'without it; the official releases include it)',
    );
  });

  it('detectDevices: no GPU means no GPU probe, and the GPU reason is the detection note', async () => {
    const probe = vi.fn(async () => ({ ok: true, engine: wasm }));
    const exec = fakeExec(async () => {
      throw execError({ code: 'ENOENT' });
    });
    const system = {
      cpus: () => [{ model: '  Intel(R)  Xeon(R) CPU @ 2.20GHz ' }, { model: 'x' }],
      totalmem: () => 8 * 2 ** 30,
    } as never;
    const report = await detectDevices({ probe, exec, platform: 'linux', system });
    expect(probe.mock.calls).toEqual([['cpu']]);
    expect(report.cpu).toEqual({ model: 'Intel(R) Xeon(R) CPU @ 2.20GHz', cores: 2, memoryGiB: 8 });
    expect(report.gpuEngines.cuda).toEqual({
      device: 'gpu',
      available: false,
      engine: null,
      reason: { code: 'nvidia-smi-missing' },
    });
    expect(said(report.gpuEngines.cuda.reason)).toBe('no NVIDIA GPU found (nvidia-smi is not installed)');
    expect(report.gpuDetectionNote).toEqual({ code: 'nvidia-smi-missing' });
    expect(report.engines.gpu.available).toBe(false);
    expect(said(report.engines.gpu.reason)).toBe(
      'no GPU engine can run here: WebGPU, WebGL and CUDA each say why under Devices',
    );
    // No GPU page was asked: the browser engines say so, as a code the Devices panel reads.
    expect(report.gpuEngines.webgpu.reason).toEqual({ code: 'not-checked', engine: 'webgpu' });
    expect(said(report.gpuEngines.webgl.reason)).toBe('WebGL was not checked');
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
    expect(said(report.gpuEngines.cuda.reason)).toBe('@tensorflow/tfjs-node-gpu is not installed');
    expect(hardwareNames(report).gpu).toBe('NVIDIA H200');
  });

  it("Auto: CUDA where it loads, else WebGPU, else WebGL saying why, else every engine's reason", () => {
    const browser = (webgpu: boolean, webgl: boolean) => ({
      webgpu: webgpu
        ? { ok: true as const, engine: webgpuEngine }
        : { ok: false as const, reason: { code: 'webgpu-no-adapter', linux: false } as const, adapter: undefined },
      webgl: webgl
        ? { ok: true as const, engine: webglEngine }
        : { ok: false as const, reason: { code: 'webgl-unavailable' } as const, adapter: undefined },
    });
    const cpuProbe = { ok: true, engine: wasm };
    const failed = { ok: false, reason: { code: 'cuda-no-gpu' } as const };
    expect(
      engineStatuses({
        detection: oneGpu,
        cpuProbe,
        gpuProbe: { ok: true, engine: nativeGpu },
        browser: browser(true, true),
      }).gpu.engine,
    ).toBe(nativeGpu);
    const webgpu = engineStatuses({ detection: oneGpu, cpuProbe, gpuProbe: failed, browser: browser(true, true) });
    expect(webgpu.gpu).toEqual({ device: 'gpu', available: true, engine: webgpuEngine, reason: null, adapter: rtx });
    const webgl = engineStatuses({ detection: oneGpu, cpuProbe, gpuProbe: failed, browser: browser(false, true) }).gpu;
    expect(webgl.engine).toBe(webglEngine);
    expect(said(webgl.reason)).toBe(
      'on WebGL, because WebGPU is not available: WebGPU found no adapter: the graphics driver may be ' +
        "too old or on Chromium's blocklist; update it",
    );
    const none = engineStatuses({
      detection: { gpus: [], note: { code: 'nvidia-smi-missing' } },
      cpuProbe,
      gpuProbe: null,
      browser: browser(false, false),
    }).gpu;
    expect({ ...none, reason: said(none.reason) }).toEqual({
      device: 'gpu',
      available: false,
      engine: null,
      reason: 'no GPU engine can run here: WebGPU, WebGL and CUDA each say why under Devices',
    });
  });

  it("a refused software adapter keeps its name in the report, as the reason's subject", async () => {
    const software = { vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true };
    const reason: Reason = { code: 'software-adapter', api: 'WebGPU', adapter: 'SwiftShader' };
    const probePage = async () => ({
      ok: false,
      reason,
      browserEngines: {
        webgpu: { ok: false as const, reason, adapter: software },
        webgl: { ok: false as const, reason, adapter: software },
      },
    });
    const report = await detectDevices({
      probe: async () => ({ ok: true, engine: wasm }),
      probePage,
      exec: fakeExec(async () => {
        throw execError({ code: 'ENOENT' });
      }),
      platform: 'linux',
    });
    expect(report.gpuEngines.webgpu).toEqual({
      device: 'gpu',
      available: false,
      engine: null,
      reason,
      adapter: software,
    });
    expect(said(report.gpuEngines.webgpu.reason)).toBe(
      "WebGPU's only adapter is SwiftShader, a software renderer that runs on the CPU, not a GPU: install or update the graphics driver",
    );
    // A software adapter is not the GPU's name.
    expect(hardwareNames(report).gpu).toBeNull();
    expect(report.adapters).toEqual([software, software]);
    expect(report.engines.gpu.available).toBe(false);
  });

  it("detectDevices with a GPU page: WebGPU ready on any vendor's GPU, named on the rows; a failed page is a reason", async () => {
    const probePage = vi.fn(async () => ({
      ok: true,
      engine: webgpuEngine,
      browserEngines: {
        webgpu: { ok: true as const, engine: webgpuEngine },
        webgl: { ok: true as const, engine: webglEngine },
      },
    }));
    const exec = fakeExec(async () => {
      throw execError({ code: 'ENOENT' });
    });
    const report = await detectDevices({
      probe: async () => ({ ok: true, engine: wasm }),
      probePage,
      exec,
      platform: 'win32',
    });
    expect(probePage).toHaveBeenCalledTimes(1);
    expect(report.engines.gpu.engine).toBe(webgpuEngine);
    expect(report.adapters).toEqual([rtx, rtx]);
    expect(hardwareNames(report)).toEqual({ cpu: expect.any(String), gpu: 'AMD Radeon RX 6800' });

    const crashed = await detectDevices({
      probe: async () => ({ ok: true, engine: wasm }),
      probePage: async () => {
        // As the GPU window ends a crashed page: an error that carries the page's end as its reason.
        throw Object.assign(new Error('crashed'), { reason: { code: 'page-crashed', why: 'crashed' } });
      },
      exec,
      platform: 'linux',
    });
    expect(said(crashed.gpuEngines.webgpu.reason)).toBe("the GPU page's process ended (crashed)");
    expect(crashed.gpuEngines.webgl.available).toBe(false);
    const silent = await detectDevices({
      probe: async () => ({ ok: true, engine: wasm }),
      probePage: async () => ({ ok: false }),
      exec,
      platform: 'linux',
    });
    expect(silent.gpuEngines.webgl.reason).toEqual({ code: 'gpu-page-failed', cause: { code: 'page-no-answer' } });
    expect(said(silent.gpuEngines.webgl.reason)).toBe('the GPU page did not answer');
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
    const devices = cachedDevices(() =>
      detectDevices({
        // The real probe: a forked worker process that starts the (fallback) CPU engine and answers.
        probe: (device) =>
          probeEngine(
            () => {
              cpuProcesses++;
              return forkWorker(BUILT.worker);
            },
            device,
            { preferFallback: true },
          ),
        // A GPU page that answers its probe as the real one does; this machine has no GPU for a real one.
        probePage: () =>
          probeEngine(() => {
            pages++;
            return new FakeWorker((page, m) => {
              if (m.type === 'probe')
                page.emit({
                  type: 'probe-result',
                  device: 'gpu',
                  ok: true,
                  engine: webgpuEngine,
                  browserEngines: { webgpu: webgpuReady, webgl: webgpuReady },
                });
            });
          }, 'gpu'),
        exec: fakeExec(async () => {
          throw execError({ code: 'ENOENT' });
        }),
        platform: 'linux',
      }),
    );
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
      return calls === 1
        ? new Promise((_resolve, reject) => (fail = reject))
        : Promise.resolve({ cpu: { model: 'x', cores: 1, memoryGiB: 1 } } as never);
    });
    const waiting = Array.from({ length: 10 }, () =>
      devices.get(true).then(
        () => 'ok',
        (err: Error) => err.message,
      ),
    );
    fail(new Error('probe crashed'));
    expect(await Promise.all(waiting)).toEqual(new Array(10).fill('probe crashed'));
    expect(calls).toBe(1);
    expect((await devices.get()).cpu.model).toBe('x');
    expect(calls).toBe(2);
  });
});
