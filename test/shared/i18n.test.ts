import { describe, expect, it } from 'vitest';
import { asLanguage, language, matchLanguage, setLanguage, t } from '../../electron/shared/i18n';
import { en } from '../../electron/shared/i18n/en';
import { zhCN } from '../../electron/shared/i18n/zh-CN';

type Tree = { readonly [key: string]: string | Tree };

/** Every message as [dotted key, text]. */
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[prefix + key, value] as [string, string]] : leaves(value, `${prefix}${key}.`),
  );
}

const parameters = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe('the catalogues', () => {
  const english = new Map(leaves(en));
  const chinese = new Map(leaves(zhCN));

  it('have the same keys in both languages (the typecheck says so too)', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("give each translation exactly the English message's parameters", () => {
    const mismatched = [...english].filter(
      ([key, text]) => parameters(text).join() !== parameters(chinese.get(key)!).join(),
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('have no empty message, and a Chinese message in Chinese (ASCII-only ones are names, units or formats)', () => {
    expect([...english, ...chinese].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
    // A Chinese message with an English word of four letters or more, beyond the names and terms a Chinese ML
    // reader meets in English (engines, formats, units, makers, the README's sections, what a reason names on the
    // system: PATH, ldconfig, the page's navigator and document), was most likely left untranslated.
    const names =
      /^(Intel|Apple|Microsoft|Visual|Redistributable|README|Build|PATH|ldconfig|navigator|document|tensorflow-cpu|Athanor|MNIST|Fashion-MNIST|PyTorch|TensorFlow|tfjs|tfjs-node|WebGPU|WebGL|CUDA|cuDNN|NVIDIA|Vulkan|Metal|Direct3D|SwiftShader|Chromium|Electron|Node|wasm|ONNX|safetensors|state_dict|JSON|HTML|CSV|SVG|PNG|Dawn|Linux|Windows|macOS|nvidia-smi|libtensorflow|npm|install|ReLU|softmax|logits|SGD|epoch|batch|seed|float32|English|FLOPs?|SIMD)$/i;
    const untranslated = [...chinese].filter(([, text]) =>
      text
        .replace(/\{\{[^}]*\}\}/g, '')
        .replace(
          /[\w@-]*\/[\w./-]*|`[^`]*`|"[^"]*"|\S+\.(pth|json|bin|onnx|safetensors|csv|html|node|so|dll)\b|--[\w-]+/g,
          '',
        )
        .split(/[^A-Za-z-]+/)
        .some((word) => word.length >= 4 && !names.test(word)),
    );
    expect(untranslated.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });
});

describe('t and the language', () => {
  it('words a message in the language set, with its parameters', () => {
    try {
      expect(t('menu.historyExported', { path: '/tmp/h.csv' })).toBe('The history was exported to /tmp/h.csv');
      setLanguage('zh-CN');
      expect(language()).toBe('zh-CN');
      expect(t('menu.historyExported', { path: '/tmp/h.csv' })).toBe('历史记录已导出到 /tmp/h.csv');
    } finally {
      setLanguage('en');
    }
    expect(language()).toBe('en');
  });

  it("picks the system's first language Athanor speaks, any Chinese as Simplified, else English", () => {
    expect(matchLanguage(['zh-Hans-CN'])).toBe('zh-CN');
    expect(matchLanguage(['zh_TW'])).toBe('zh-CN');
    expect(matchLanguage(['ja-JP', 'ZH'])).toBe('zh-CN');
    expect(matchLanguage(['en-US', 'zh-CN'])).toBe('en');
    expect(matchLanguage(['fr-FR', 'de'])).toBe('en');
    expect(matchLanguage([])).toBe('en');
    expect([asLanguage('zh-CN'), asLanguage('en'), asLanguage('fr'), asLanguage(null)]).toEqual([
      'zh-CN',
      'en',
      null,
      null,
    ]);
  });
});

describe("the file system's words follow the language main speaks", () => {
  it('a refused write, a folder that cannot be made and a named pipe, in Chinese', async () => {
    const { writeFileAtomic, reasonFor } = await import('../../electron/fs-atomic');
    const { makeFolders } = await import('../../electron/fs-folders');
    const { readRegularText } = await import('../../electron/fs-read');
    const { execFileSync } = await import('node:child_process');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'athanor-words-'));
    setLanguage('zh-CN');
    try {
      await expect(writeFileAtomic(join(dir, 'none', 'h.json'), '{}')).rejects.toThrow(
        `无法写入 ${join(dir, 'none', 'h.json')}：目录不存在`,
      );
      expect(reasonFor('ENOSPC', new Error('x'))).toBe('磁盘已满');
      expect(reasonFor('EWHATEVER', new Error('raw words'))).toBe('raw words');
      await expect(makeFolders('/proc/athanor-test/x')).rejects.toThrow('/proc 下不能新建文件夹');
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      await expect(readRegularText(join(dir, 'pipe'))).rejects.toThrow('它是命名管道，不是文件');
    } finally {
      setLanguage('en');
      await rm(dir, { recursive: true, force: true });
    }
    expect(reasonFor('ENOSPC', new Error('x'))).toBe('disk full');
  });
});
