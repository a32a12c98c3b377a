/**
 * WebGPU from a terminal: the CLI and its worker on Dawn (npm's webgpu), for real, on Chromium's SwiftShader Vulkan
 * driver, the software adapter a machine without a GPU has. Only these tests point Dawn at it, through the
 * environment (DAWN_ENV); the product never sets it. Tiny runs: SwiftShader takes seconds a step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../../electron/training/cli/args';
import { cli, removeTemps, temp } from './helpers';

afterAll(removeTemps);

const CHROMIUM = '/usr/lib/chromium';
/** Dawn finds Chromium's SwiftShader through the Vulkan loader Chromium ships beside it. */
const DAWN_ENV = {
  ...process.env,
  VK_ICD_FILENAMES: join(CHROMIUM, 'vk_swiftshader_icd.json'),
  LD_LIBRARY_PATH: CHROMIUM,
};
const TESTING = { ...DAWN_ENV, ATHANOR_ALLOW_SOFTWARE_GPU: '1' };
const haveSwiftShader = existsSync(join(CHROMIUM, 'vk_swiftshader_icd.json'));
const haveDawn = existsSync(join(__dirname, '../../../node_modules/webgpu/package.json'));
/** Under CI (.ci/run installs Chromium, npm ci the webgpu package) a missing one fails these tests instead. */
const run = (haveSwiftShader && haveDawn) || process.env.CI === 'true';
const SKIP_NOTE = run ? '' : ' (skipped: needs Chromium at /usr/lib/chromium and the webgpu package)';

/** Two batches of 8 images and 16 test images: a warm-up and one timed step. */
const TINY_GPU = ['--device', 'gpu', '--epochs', '1', '--limit', '16', '--batch-size', '8', '--test-limit', '16'];
const SOFTWARE = 'SwiftShader driver 5.0.0 (Vulkan), software GPU (testing only)';

describe('--gpu-engine', () => {
  it('picks a GPU engine a terminal can start, for --device gpu only', () => {
    expect(parseCli(['--device', 'gpu', '--gpu-engine', 'webgpu']).config.gpuEngine).toBe('webgpu');
    expect(parseCli(['--device', 'gpu', '--gpu-engine=cuda']).config.gpuEngine).toBe('cuda');
    expect(parseCli(['--device', 'gpu']).config.gpuEngine).toBeUndefined(); // Auto
    for (const [flags, message] of [
      [
        ['--device', 'gpu', '--gpu-engine', 'webgl'],
        '--gpu-engine webgl needs a page and trains in the app only; from a terminal: auto, cuda or webgpu',
      ],
      [['--device', 'gpu', '--gpu-engine', 'metal'], '--gpu-engine must be one of auto, cuda, webgpu, got "metal"'],
      [['--gpu-engine', 'webgpu'], "--gpu-engine picks the GPU's engine and needs --device gpu"],
      [['--device', 'cpu', '--gpu-engine', 'auto'], "--gpu-engine picks the GPU's engine and needs --device gpu"],
      [
        ['--device', 'gpu', '--gpu-engine', 'cuda', '--gpu-engine', 'webgpu'],
        '--gpu-engine is given more than once: give it once',
      ],
    ] as const) {
      expect(() => parseCli([...flags]), flags.join(' ')).toThrow(
        new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      );
    }
  });

  it('--gpu-step picks fused or tfjs, for --device gpu only', () => {
    expect(parseCli(['--device', 'gpu', '--gpu-step', 'tfjs']).gpuStep).toBe('tfjs');
    expect(parseCli(['--device', 'gpu', '--gpu-step=fused']).gpuStep).toBe('fused');
    expect(parseCli(['--device', 'gpu']).gpuStep).toBeUndefined(); // the fused step
    expect(() => parseCli(['--device', 'gpu', '--gpu-step', 'xla'])).toThrow(
      /^--gpu-step must be one of fused, tfjs, got "xla"$/,
    );
    expect(() => parseCli(['--gpu-step', 'tfjs'])).toThrow(
      /^--gpu-step picks the WebGPU engine's step and needs --device gpu$/,
    );
    expect(() => parseCli(['--device', 'gpu', '--gpu-engine', 'cuda', '--gpu-step', 'fused'])).toThrow(
      /^--gpu-step picks how WebGPU trains and cannot go with --gpu-engine cuda$/,
    );
    expect(parseCli(['--device', 'gpu', '--gpu-engine', 'webgpu', '--gpu-step', 'tfjs']).gpuStep).toBe('tfjs');
  });

  it('is refused with one line and exit 2, before anything starts', () => {
    const r = cli(['--device', 'gpu', '--gpu-engine', 'webgl']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'athanor: --gpu-engine webgl needs a page and trains in the app only; from a terminal: auto, cuda or webgpu ' +
        '(npm run train -- --help lists the options)',
    ]);
  });
});

describe.runIf(run)(`npm run train on WebGPU through Dawn${SKIP_NOTE}`, () => {
  it('trains a tiny run on SwiftShader with the testing option (Auto: no CUDA here), saying software everywhere', () => {
    const out = join(temp(), 'w.safetensors');
    const r = cli([...TINY_GPU, '--out', out], { env: TESTING });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Training on GPU with webgpu 4.22.0 (Dawn in Node, webgpu 0.6.2) on ${SOFTWARE}\n`);
    expect(r.stdout).not.toMatch(/Fallback engine/); // Auto without CUDA is WebGPU by design, as in the app
    expect(r.stdout).toContain(`  adapter         ${SOFTWARE}\n`);
    expect(r.stdout).toMatch(/^ {2}training {8}[\d.]+ s for 1 epoch of 16 images \([\d.]+ ms a batch\)$/m);
    const loss = Number(/last batch loss (\S+)/.exec(r.stdout)![1]);
    expect(loss).toBeGreaterThan(1.5); // two batches of a fresh network: about ln 10
    expect(loss).toBeLessThan(3);
    // The weights carry the adapter in their provenance.
    expect(readHeader(out)['athanor.adapter']).toBe(SOFTWARE);
  }, 180_000);

  it("trains with the fused step by default and with tfjs's on --gpu-step tfjs, to the same loss, naming the step", () => {
    const fused = cli([...TINY_GPU, '--gpu-engine', 'webgpu', '--out', join(temp(), 'f.pth')], { env: TESTING });
    const tfjs = cli([...TINY_GPU, '--gpu-engine', 'webgpu', '--gpu-step', 'tfjs', '--out', join(temp(), 't.pth')], {
      env: TESTING,
    });
    for (const r of [fused, tfjs]) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
    const engine = '  engine          webgpu 4.22.0 on GPU, Dawn in Node, webgpu 0.6.2';
    expect(fused.stdout).toContain(`${engine}, Athanor's fused step\n`);
    expect(tfjs.stdout).toContain(`${engine}, tfjs's kernels\n`);
    // Two batches of the same images from the same weights: the two steps' losses agree to float32 rounding.
    const [a, b] = [fused, tfjs].map((r) => Number(/last batch loss (\S+)/.exec(r.stdout)![1]));
    expect(a).toBeGreaterThan(1.5);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(2e-4);
  }, 240_000);

  it('refuses the software adapter without the testing option, with its reason and exit 1', () => {
    const out = join(temp(), 'w.pth');
    const r = cli([...TINY_GPU, '--gpu-engine', 'webgpu', '--out', out], { env: DAWN_ENV });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      "athanor: WebGPU's only adapter is SwiftShader driver 5.0.0, a software renderer that runs on the CPU, not a " +
        'GPU: install or update the graphics driver',
    ]);
    expect(r.stdout).not.toMatch(/Training on/);
    expect(existsSync(out)).toBe(false);
    // Auto says why neither of its engines can run.
    const auto = cli([...TINY_GPU, '--out', out], { env: DAWN_ENV });
    expect(auto.status).toBe(1);
    expect(auto.stderr.trim()).toMatch(
      /^athanor: neither CUDA nor WebGPU can train here: @tensorflow\/tfjs-node-gpu [^\n]+; WebGPU's only adapter is SwiftShader driver 5\.0\.0, a software renderer [^\n]+$/,
    );
  }, 120_000);

  it('--probe lists the adapter, or one line on why it cannot train', () => {
    const testing = cli(['--probe'], { env: TESTING });
    expect(testing.status, testing.stderr).toBe(0);
    expect(testing.stdout).toContain(`\nGPU (WebGPU): webgpu 4.22.0 (Dawn in Node, webgpu 0.6.2) on ${SOFTWARE}\n`);
    const refused = cli(['--probe'], { env: DAWN_ENV });
    expect(refused.stdout).toContain(
      "\nGPU (WebGPU): cannot train: WebGPU's only adapter is SwiftShader driver 5.0.0, a software renderer",
    );
    expect(refused.stdout).toMatch(/^GPU \(WebGL\): needs a page, so it trains in the app only/m);
  }, 120_000);
});

/** A Vulkan loader the dynamic linker finds without help: then Dawn's missing-loader case cannot be shown here. */
const systemVulkan = /libvulkan\.so\.1\b/.test(spawnSync('ldconfig', ['-p'], { encoding: 'utf8' }).stdout ?? '');
const runNoLoader = !systemVulkan && (haveDawn || process.env.CI === 'true');
const NO_LOADER_NOTE = runNoLoader ? '' : ' (skipped: this system has a Vulkan loader, or no webgpu package)';

describe.runIf(runNoLoader)(`Dawn without a Vulkan loader${NO_LOADER_NOTE}`, () => {
  it('says so in one line, in --probe and in a run, with nothing else on stderr', () => {
    // No LD_LIBRARY_PATH: Chromium's libvulkan.so.1 is out of reach, as on a machine without libvulkan1.
    const env = { ...process.env, LD_LIBRARY_PATH: '', VK_ICD_FILENAMES: '' };
    const noVulkan = 'WebGPU found no adapter: Dawn needs the Vulkan loader (libvulkan.so.1), which is not installed';
    const probe = cli(['--probe'], { env });
    expect(probe.stdout).toContain(`\nGPU (WebGPU): cannot train: ${noVulkan}`);
    expect(probe.stderr).toBe('');
    const r = cli([...TINY_GPU, '--gpu-engine', 'webgpu', '--out', join(temp(), 'w.pth')], { env });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toBe(
      `athanor: ${noVulkan} (Debian and Ubuntu: apt install libvulkan1), and a Vulkan driver for the GPU`,
    );
  }, 120_000);
});

/** A .safetensors file's __metadata__. */
function readHeader(path: string): Record<string, string> {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')).__metadata__;
}
