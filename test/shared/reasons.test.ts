import { describe, expect, it } from 'vitest';
import { describeReason } from '../../electron/shared/describe-reason';
import { checkRecord } from '../../electron/shared/schema/rows';
import {
  checkedReason,
  reasonOf,
  storedReason,
  type Reason,
  type ReasonCode,
  type RunEndReason,
} from '../../electron/shared/reasons';
import { RUN_END_EXAMPLES } from './run-end-examples';
import { EngineUnavailableError } from '../../electron/training/engines/errors';
import { makeRecord } from '../services/fixtures';

const CPU = '@tensorflow/tfjs-node';
const GPU = '@tensorflow/tfjs-node-gpu';
const missing: Reason = { code: 'native-not-installed', pkg: GPU, packaged: false };

/** One reason of every code: the type makes a new code without an example here a compile error. */
const EXAMPLES: { [C in ReasonCode]: Extract<Reason, { code: C }> } = {
  'native-not-installed': { code: 'native-not-installed', pkg: CPU, packaged: true },
  'native-binding-missing': { code: 'native-binding-missing', pkg: CPU, packaged: false },
  'native-glibc-too-old': { code: 'native-glibc-too-old', pkg: CPU, glibc: 'GLIBC_2.29' },
  'native-library-missing': { code: 'native-library-missing', pkg: GPU, library: 'libcudnn.so.8', packaged: false },
  'native-dll-missing': { code: 'native-dll-missing', pkg: CPU, packaged: true },
  'native-load-failed': { code: 'native-load-failed', pkg: CPU, detail: 'Illegal instruction' },
  'native-other-loaded': { code: 'native-other-loaded', pkg: GPU, other: CPU },
  'native-no-backend': { code: 'native-no-backend', pkg: CPU, tfjsVersion: '4.22.0' },
  'native-backend-not-started': { code: 'native-backend-not-started', pkg: CPU },
  'native-cannot-train': { code: 'native-cannot-train', pkg: CPU, detail: 'injected fault' },
  'cuda-no-gpu': { code: 'cuda-no-gpu' },
  'native-copy-broken': { code: 'native-copy-broken', missing: ['napi-v8/tensorflow.dll'], packaged: true },
  'fallback-asked': { code: 'fallback-asked' },
  'wasm-not-started': { code: 'wasm-not-started' },
  'browser-engine-in-node': { code: 'browser-engine-in-node', engine: 'webgl' },
  'cuda-in-page': { code: 'cuda-in-page' },
  'webgpu-missing': { code: 'webgpu-missing' },
  'webgpu-request-failed': { code: 'webgpu-request-failed', detail: 'device lost' },
  'webgpu-no-adapter': { code: 'webgpu-no-adapter', linux: true },
  'webgpu-off-linux': { code: 'webgpu-off-linux' },
  'webgl-no-page': { code: 'webgl-no-page' },
  'webgl-unavailable': { code: 'webgl-unavailable' },
  'webgl-no-float': { code: 'webgl-no-float', adapter: 'Mali-G52' },
  'software-adapter': { code: 'software-adapter', api: 'WebGL', adapter: 'llvmpipe' },
  'backend-not-started': { code: 'backend-not-started', api: 'WebGPU', detail: ' (no device from the adapter)' },
  'probe-timeout': { code: 'probe-timeout', peer: 'worker', seconds: 60 },
  'probe-bad-message': { code: 'probe-bad-message', peer: 'page', detail: 'engine must be an object' },
  'probe-ended': { code: 'probe-ended', exit: { code: 'worker-killed', signal: 'SIGTERM' } },
  'no-reason': { code: 'no-reason' },
  'page-no-answer': { code: 'page-no-answer' },
  'sweep-busy': { code: 'sweep-busy' },
  'sweep-process-ended': { code: 'sweep-process-ended', exit: { code: 'worker-killed', signal: 'SIGSEGV' } },
  'macos-no-cuda': { code: 'macos-no-cuda' },
  'nvidia-smi-missing': { code: 'nvidia-smi-missing' },
  'nvidia-smi-timeout': { code: 'nvidia-smi-timeout', seconds: 10 },
  'nvidia-smi-denied': { code: 'nvidia-smi-denied' },
  'nvidia-smi-failed': { code: 'nvidia-smi-failed', said: 'No devices were found' },
  'nvidia-smi-listed-none': { code: 'nvidia-smi-listed-none', said: null },
  'not-checked': { code: 'not-checked', engine: 'cuda' },
  'no-gpu-engine': { code: 'no-gpu-engine' },
  error: { code: 'error', message: 'something broke' },
  words: { code: 'words', text: 'tfjs-node is not installed' },
  'cpu-fallback': { code: 'cpu-fallback', engine: 'wasm', cause: { code: 'fallback-asked' } },
  'fallback-failed': { code: 'fallback-failed', native: missing, detail: 'no wasm file' },
  'engine-check-failed': {
    code: 'engine-check-failed',
    cause: { code: 'probe-timeout', peer: 'worker', seconds: 60 },
  },
  'cuda-help': { code: 'cuda-help', situation: 'engine-missing', platform: 'win32', packaged: true, cause: missing },
  'gpu-page-failed': {
    code: 'gpu-page-failed',
    cause: { code: 'error', message: "the GPU page's process ended (crashed)" },
  },
  'webgpu-and-webgl-failed': {
    code: 'webgpu-and-webgl-failed',
    webgpu: { code: 'webgpu-missing' },
    webgl: { code: 'webgl-unavailable' },
  },
  'webgl-instead': { code: 'webgl-instead', webgpu: { code: 'webgpu-no-adapter', linux: false } },
  // WebGPU in Node, through Dawn.
  'dawn-not-installed': { code: 'dawn-not-installed', packaged: false },
  'dawn-load-failed': { code: 'dawn-load-failed', detail: 'GLIBC_2.34 not found' },
  'vulkan-loader-missing': { code: 'vulkan-loader-missing' },
  'dawn-no-adapter': { code: 'dawn-no-adapter', platform: 'win32' },
  'webgpu-device-lost': { code: 'webgpu-device-lost', detail: 'Device was lost' },
  'webgpu-out-of-memory': { code: 'webgpu-out-of-memory', detail: 'Buffer allocation failed' },
  'webgpu-error': { code: 'webgpu-error', detail: 'Binding size is larger than the maximum' },
  'cuda-and-webgpu-failed': {
    code: 'cuda-and-webgpu-failed',
    cuda: { code: 'cuda-no-gpu' },
    webgpu: { code: 'vulkan-loader-missing' },
  },
  ...runEndReasons(),
};

function runEndReasons() {
  return Object.fromEntries(Object.entries(RUN_END_EXAMPLES).map(([code, { reason }]) => [code, reason])) as {
    [C in RunEndReason['code']]: Extract<Reason, { code: C }>;
  };
}

describe('reasons are codes with data, worded once', () => {
  it('every code crosses a boundary as it is, and says something of its own in one line', () => {
    const words = new Set<string>();
    for (const reason of Object.values(EXAMPLES)) {
      expect(checkedReason(JSON.parse(JSON.stringify(reason)))).toEqual(reason);
      const text = describeReason(reason);
      expect(text, reason.code).toMatch(/^\S[^\n]*\S$/);
      words.add(text);
    }
    expect(words.size).toBe(Object.keys(EXAMPLES).length);
  });

  it("words a wrapped reason with its cause's words", () => {
    expect(describeReason(EXAMPLES['cpu-fallback'])).toBe(
      'on the fallback engine (wasm, slower) because the fallback engine was asked for',
    );
    expect(describeReason(EXAMPLES['webgpu-and-webgl-failed'])).toBe(
      'neither WebGPU nor WebGL can train here: WebGPU is not available in this browser (no navigator.gpu); ' +
        'WebGL 2 is not available: the graphics driver is missing, too old or blocklisted',
    );
    expect(
      describeReason({
        code: 'cuda-help',
        situation: 'no-gpu-visible',
        platform: 'linux',
        packaged: false,
        cause: { code: 'cuda-no-gpu' },
      }),
    ).toMatch(
      /^TensorFlow could not use the NVIDIA GPU: .*restart Athanor\. \(TensorFlow found no usable NVIDIA GPU: .*\)$/,
    );
  });

  it('refuses what is not a reason: words, an unknown code, a code without its data, a wrong package', () => {
    for (const raw of [
      'no GPU',
      null,
      {},
      { code: 'gremlins' },
      { code: 'software-adapter', api: 'WebGL' },
      { code: 'native-not-installed', pkg: 'left-pad', packaged: false },
      { code: 'cpu-fallback', engine: 'wasm', cause: 'words' },
    ]) {
      expect(checkedReason(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it("keeps only a reason's own fields when it checks one", () => {
    expect(checkedReason({ code: 'cuda-no-gpu', extra: 'x'.repeat(100) })).toEqual({ code: 'cuda-no-gpu' });
  });

  it('an error becomes the reason it carries, else its message', () => {
    expect(reasonOf(new EngineUnavailableError(missing))).toEqual(missing);
    expect(new EngineUnavailableError(missing).message).toBe(describeReason(missing));
    expect(reasonOf(new Error('boom'))).toEqual({ code: 'error', message: 'boom' });
    // An error whose `reason` is something else (a history read error's text) is not taken for one.
    expect(reasonOf(Object.assign(new Error('unreadable'), { reason: 'bad JSON' }))).toEqual({
      code: 'error',
      message: 'unreadable',
    });
    expect(reasonOf('plain text')).toEqual({ code: 'error', message: 'plain text' });
  });

  it('history rows from before codes keep their words; a row with a reason keeps its code', () => {
    expect(storedReason('tfjs-node is not installed')).toEqual({ code: 'words', text: 'tfjs-node is not installed' });
    const row = makeRecord('20250102-030405678-cpu-a1b2c3');
    const old = checkRecord(
      JSON.parse(JSON.stringify({ ...row, engine: { ...row.engine, fallbackReason: 'tfjs-node is not installed' } })),
    );
    expect(old.engine?.fallbackReason).toEqual({ code: 'words', text: 'tfjs-node is not installed' });
    expect(describeReason(old.engine!.fallbackReason!)).toBe('tfjs-node is not installed');
    const coded = checkRecord(JSON.parse(JSON.stringify(row)));
    expect(coded.engine?.fallbackReason).toEqual({ code: 'fallback-asked' });
    // A newer version's field in a reason survives a rewrite of the row, as its other fields do.
    const newer = { code: 'webgpu-no-adapter', linux: true, desktop: 'wayland' };
    expect(
      checkRecord(JSON.parse(JSON.stringify({ ...row, engine: { ...row.engine, fallbackReason: newer } }))).engine
        ?.fallbackReason,
    ).toEqual(newer);
    expect(() => checkRecord({ ...row, engine: { ...row.engine, fallbackReason: { code: 'gremlins' } } })).toThrow(
      /engine\.fallbackReason/,
    );
    // A failed run's reason (an engine that cannot run) is checked the same way.
    const failed = {
      ...row,
      status: 'failed',
      reason: { code: 'software-adapter', api: 'WebGPU', adapter: 'SwiftShader' },
    };
    expect(checkRecord(JSON.parse(JSON.stringify(failed))).reason).toEqual(failed.reason);
    expect(() => checkRecord({ ...failed, reason: 'no GPU' })).toThrow(/^reason must be a reason/);
  });
});
