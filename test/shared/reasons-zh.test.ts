/**
 * Reasons in Simplified Chinese: a sample of every kind (native engines, browser engines, Dawn, nvidia-smi, reasons
 * made of reasons, install advice, how a run ends), worded from the zh-CN catalogue with their data in place. The
 * English words stay reasons.test.ts's and run-end-reasons.test.ts's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeReason, describeRunEnd } from '../../electron/shared/describe-reason';
import { setLanguage } from '../../electron/shared/i18n';
import { gpuEngineHelp, nativeInstallAdvice } from '../../electron/shared/install-advice';
import type { Reason } from '../../electron/shared/reasons';
import { RUN_END_EXAMPLES } from './run-end-examples';

const CPU = '@tensorflow/tfjs-node';
const GPU = '@tensorflow/tfjs-node-gpu';

beforeEach(() => setLanguage('zh-CN'));
afterEach(() => setLanguage('en'));

describe('reasons in Chinese', () => {
  it.each<[string, Reason, string]>([
    [
      'a native package not installed, with its advice',
      { code: 'native-not-installed', pkg: CPU, packaged: false },
      '未安装 @tensorflow/tfjs-node：在联网状态下运行 "npm install"（它会下载 libtensorflow），或在 Linux x64 上运行 "npm run build:tfjs-node"（它会用 pip 的 tensorflow-cpu 构建引擎）',
    ],
    [
      'a broken copy, its missing files listed the Chinese way',
      { code: 'native-copy-broken', missing: ['a.dll', 'b.dll'], packaged: true },
      '当前安装的 Athanor 中的原生 CPU 引擎（tfjs-node）已损坏（缺少 a.dll、b.dll）：重新安装 Athanor',
    ],
    [
      'a CUDA library',
      { code: 'native-library-missing', pkg: GPU, library: 'libcudnn.so.8', packaged: false },
      '找不到 libcudnn.so.8：请安装 CUDA 11.2 和 cuDNN 8.1（TensorFlow 2.9.1 的 GPU 版本必须使用这两个确切版本）',
    ],
    [
      'WebGPU without an adapter on Linux',
      { code: 'webgpu-no-adapter', linux: true },
      'WebGPU 找不到适配器：它需要 Vulkan，而本 Linux 桌面的驱动或 Chromium 不提供 Vulkan',
    ],
    [
      'a software adapter',
      { code: 'software-adapter', api: 'WebGL', adapter: 'llvmpipe' },
      'WebGL 唯一的适配器是 llvmpipe，这是在 CPU 上运行的软件渲染器，不是 GPU：请安装或更新显卡驱动',
    ],
    [
      "Dawn without the platform's driver",
      { code: 'dawn-no-adapter', platform: 'win32' },
      'WebGPU 找不到适配器：Dawn 需要该 GPU 的 Direct3D 12 驱动；请安装或更新显卡驱动',
    ],
    [
      'nvidia-smi that timed out',
      { code: 'nvidia-smi-timeout', seconds: 10 },
      '未找到 NVIDIA GPU（nvidia-smi 在 10 秒内没有响应）',
    ],
    [
      'a probe that timed out, naming the process',
      { code: 'probe-timeout', peer: 'worker', seconds: 60 },
      '检查引擎时，训练进程在 60 秒内没有响应',
    ],
    [
      'the fallback engine, with its cause inside',
      { code: 'cpu-fallback', engine: 'wasm', cause: { code: 'fallback-asked' } },
      '使用后备引擎（wasm，较慢）：指定使用了后备引擎',
    ],
    [
      'both browser engines',
      { code: 'webgpu-and-webgl-failed', webgpu: { code: 'webgpu-missing' }, webgl: { code: 'webgl-unavailable' } },
      'WebGPU 和 WebGL 都无法在此训练：此浏览器不支持 WebGPU（没有 navigator.gpu）；WebGL 2 不可用：显卡驱动缺失、过旧或被屏蔽',
    ],
    [
      "CUDA's generic advice, the error beside it",
      {
        code: 'cuda-help',
        situation: 'no-gpu-visible',
        platform: 'linux',
        packaged: true,
        cause: { code: 'cuda-no-gpu' },
      },
      'TensorFlow 无法使用 NVIDIA GPU：请确认 nvidia-smi 能正常运行，且已安装 CUDA 11.2 和 cuDNN 8.1，然后重启 Athanor。' +
        '（TensorFlow 找不到可用的 NVIDIA GPU：请检查 NVIDIA 驱动（nvidia-smi）、CUDA 11.2 和 cuDNN 8.1）',
    ],
    ['words made elsewhere, as they came', { code: 'error', message: 'something broke' }, 'something broke'],
  ])('%s', (_, reason, words) => {
    expect(describeReason(reason)).toBe(words);
  });

  it('install advice and CUDA help, with their files and commands', () => {
    expect(nativeInstallAdvice(GPU, true, false)).toBe(
      '删除 node_modules/@tensorflow/tfjs-node-gpu，然后在联网状态下运行 "npm install --save-optional --save-exact @tensorflow/tfjs-node-gpu@4.22.0"（它会下载 CUDA 版的 libtensorflow）',
    );
    expect(gpuEngineHelp('cudnn-missing', { platform: 'win32', packaged: true })).toBe(
      '未找到 cuDNN 8.1（cudnn64_8.dll）：请安装适用于 CUDA 11.2 的 cuDNN 8.1，并确保它们的 bin 文件夹已加入 PATH 环境变量，然后重启 Athanor。',
    );
    expect(gpuEngineHelp('engine-missing', { platform: 'darwin', packaged: false })).toBe(
      'GPU 训练需要支持 CUDA 的 NVIDIA GPU，而 macOS 不支持：在 Mac 上，Athanor 使用 CPU 训练。',
    );
  });
});

describe('how a run ends, in Chinese', () => {
  it.each<[string, Reason, string]>([
    ['cancelled part-way', { code: 'run-cancelled', step: 9, totalSteps: 300 }, '已在第 9/300 个批次后取消'],
    [
      'a loss that exploded, its figures as English gives them',
      { code: 'loss-exploded', loss: 123.456, limit: 23.0259, epoch: 2, batch: 17 },
      '训练发散：第 2 轮第 17 个批次时损失达到 123，超过 10 × ln 10 = 23.0：请尝试调低学习率',
    ],
    [
      'out of memory above the largest batch that fits',
      { code: 'out-of-memory', engine: 'WebGPU', batch: 4096, max: 1024, detail: 'OOM' },
      'WebGPU 引擎在批大小为 4096 张图像时内存不足（“OOM”）：请使用不超过 1024 的批大小',
    ],
    [
      'a message out of place, naming the page',
      { code: 'run-message-out-of-place', peer: 'page', type: 'sweep-step', where: 'sweep-in-run' },
      'GPU 页面发来的“sweep-step”消息无法使用（它属于批大小扫描，而不是单次训练），训练已停止',
    ],
    ['a busy worker', { code: 'worker-busy', peer: 'worker' }, '此工作进程正忙'],
  ])('%s', (_, reason, words) => {
    expect(describeReason(reason)).toBe(words);
  });

  it('words every run end in Chinese, none in the English it has', () => {
    for (const { reason, words } of Object.values(RUN_END_EXAMPLES)) {
      const chinese = describeReason(reason);
      expect({ code: reason.code, chinese }).toMatchObject({ chinese: expect.stringMatching(/[\u4e00-\u9fff]/) });
      expect(chinese).not.toBe(words);
    }
    expect(
      describeRunEnd({ status: 'cancelled', message: null, reason: { code: 'run-cancelled-before-start' } }),
    ).toEqual({ words: '在开始前已取消', saysStatus: true });
  });
});
