/**
 * The devices' and the app shell's words in Simplified Chinese: adapter labels (but not a weights file's metadata,
 * which stays English), and main's refusals as the renderer words them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adapterLabel, adapterName } from '../../electron/shared/adapter-label';
import { setLanguage, t } from '../../electron/shared/i18n';
import { provenance } from '../../electron/training/export/index';
import { answerInvoke } from '../../electron/services/ipc-answer';
import { UNKNOWN_REQUEST } from '../../electron/shared/api';
import { REFERENCE_CONFIG } from '../../electron/shared/schema/settings';
import { validateArg } from '../../electron/shared/validate';
import { userWords } from '../../renderer/src/lib/api';

const swiftshader = { vendor: 'google', name: 'SwiftShader', api: 'Vulkan', software: true };

beforeEach(() => setLanguage('zh-CN'));
afterEach(() => setLanguage('en'));

describe('devices in Chinese', () => {
  it('labels a software adapter as testing only, and a nameless one as unknown', () => {
    expect(adapterLabel(swiftshader)).toBe('SwiftShader (Vulkan)，软件 GPU（仅供测试）');
    expect(adapterName({ vendor: '', name: '', api: 'Metal', software: false })).toBe('未知适配器');
    expect(adapterLabel({ vendor: '', name: '', api: '', software: false }, 'en')).toBe('unknown adapter');
  });

  it("keeps a weights file's metadata English whatever the app speaks", () => {
    const engine = { engine: 'webgpu', device: 'gpu', backend: 'webgpu', version: '4.22.0', adapter: swiftshader };
    expect(provenance(engine as Parameters<typeof provenance>[0])['athanor.adapter']).toBe(
      'SwiftShader (Vulkan), software GPU (testing only)',
    );
  });

  it("words the panel's specs and advice with their figures", () => {
    expect(t('devices.cpuSpecs', { cores: 16, memory: '31.2' })).toBe('16 核 · 31.2 GiB 内存');
    expect(t('devices.noGpuEngine', { advice: t('devices.adviceNoGpu') })).toBe(
      '没有可在此训练的 GPU 引擎：未找到 GPU：请安装显卡驱动，然后点击“重新检测”。',
    );
  });
});

describe("main's refusals in Chinese", () => {
  it('names the refusal in Chinese and keeps what the check said, without the channel', async () => {
    const answered = (fromOwnPage: boolean, run: () => unknown) =>
      answerInvoke(fromOwnPage, run).then(
        () => null,
        (err: unknown) => userWords(new Error(`Error invoking remote method 'training:start': ${String(err)}`)),
      );
    const request = { ...REFERENCE_CONFIG, device: 'cpu', epochs: 0 };
    expect(await answered(true, () => validateArg('training:start', request))).toBe(
      'Athanor 拒绝了该请求：训练设置无效：轮数 必须是 1 到 1000 之间的整数，收到的是 0',
    );
    expect(await answered(false, () => null)).toBe('Athanor 拒绝了该请求：它并非来自 Athanor 自己的页面');
    expect(await answered(true, () => validateArg('x:y' as 'training:start', {}))).toBe(
      '此版本的 Athanor 不认识该请求',
    );
    expect(userWords(new Error(UNKNOWN_REQUEST))).toBe('此版本的 Athanor 不认识该请求');
  });
});
