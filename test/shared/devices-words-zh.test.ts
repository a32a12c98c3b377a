/**
 * The devices' and the app shell's words in Simplified Chinese: adapter labels (but not a weights file's metadata,
 * which stays English), and main's refusals as the renderer words them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adapterLabel, adapterName } from '../../electron/shared/adapter-label';
import { setLanguage, t } from '../../electron/shared/i18n';
import { provenance } from '../../electron/training/export/index';
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
  it('names the refusal in Chinese and keeps what the check said, without the channel', () => {
    const invoked = (said: string) => new Error(`Error invoking remote method 'training:start': Error: ${said}`);
    expect(userWords(invoked('invalid argument for "training:start": epochs must be at least 1, got 0'))).toBe(
      'Athanor 拒绝了该请求：epochs must be at least 1, got 0',
    );
    expect(userWords(invoked(`"training:start" refused: it did not come from Athanor's own page`))).toBe(
      'Athanor 拒绝了该请求：它并非来自 Athanor 自己的页面',
    );
    expect(userWords(new Error('unknown channel "x:y"'))).toBe('此版本的 Athanor 不认识该请求');
  });
});
