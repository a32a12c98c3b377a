/** The history store's notices in Chinese: main words them in the language the user chose. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProblems } from '../../electron/services/history-folder';
import { HistoryStore } from '../../electron/services/history-store';
import { weightsProblem } from '../../electron/services/history-weights';
import { setLanguage } from '../../electron/shared/i18n';
import { exportPathFor } from '../../electron/training/export/index';

const NOW = new Date('2025-03-04T05:06:07.089Z');
const STAMP = '2025-03-04T05-06-07-089Z';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-history-words-'));
  setLanguage('zh-CN');
});
afterEach(async () => {
  setLanguage('en');
  await rm(dir, { recursive: true, force: true });
});

describe('the history store in Chinese', () => {
  it('says a folder in the history file’s place was set aside', async () => {
    await mkdir(join(dir, 'history.json'));
    const store = await HistoryStore.open(dir, { now: () => NOW });
    expect(store.state().notice).toBe(
      `无法读取训练历史记录（它是一个文件夹）；已移到一旁，存为 ${join(dir, `history.unreadable-${STAMP}.json`)}；` +
        '历史记录从空白开始。',
    );
  });

  it('rewords a notice said before the user switched language', async () => {
    setLanguage('en');
    await writeFile(join(dir, 'history.json'), '{"version": 1, "records": [');
    const store = await HistoryStore.open(dir, { now: () => NOW });
    expect(store.state().notice).toMatch(
      /^The run history could not be read \(it is not valid JSON: .+; the history starts empty\.$/,
    );
    setLanguage('zh-CN');
    expect(store.state().notice).toMatch(/^无法读取训练历史记录（.+）；原文件保留为 .+；历史记录从空白开始。$/);
  });

  it("names a newer Athanor's history and leaves it as it is", async () => {
    await writeFile(join(dir, 'history.json'), JSON.stringify({ version: 2, records: [] }));
    const store = await HistoryStore.open(dir, { now: () => NOW });
    expect(store.state().notice).toBe(
      `训练历史记录 ${join(dir, 'history.json')} 由较新版本的 Athanor 写入（历史记录格式 2；本版本读取格式 1）；` +
        '文件保持原样，新的训练不会添加到其中。请用那个版本打开它，或将该文件移走，在这里开始新的历史记录。',
    );
  });

  it('says how many complete rows a damaged file gave back', async () => {
    await writeFile(join(dir, 'history.json'), '{"version": 1, "records": [');
    const store = await HistoryStore.open(dir, { now: () => NOW });
    expect(store.state().notice).toMatch(
      new RegExp(
        `^无法读取训练历史记录（它不是有效的 JSON：.+）；原文件保留为 .*history\\.damaged-${STAMP}\\.json；历史记录从空白开始。$`,
      ),
    );
  });

  it('lists the first three problems with Chinese separators, and how many more', () => {
    expect(listProblems(['第 1 行：甲', '第 2 行：乙', '第 3 行：丙', '第 4 行：丁', '第 5 行：戊'])).toBe(
      '第 1 行：甲；第 2 行：乙；第 3 行：丙；另有 2 处',
    );
  });

  it('refuses a name that contradicts the chosen format in Chinese, naming both formats', () => {
    expect(() => exportPathFor('/w/tfjs.pth', 'tfjs')).toThrow(
      '“tfjs.pth”以“.pth”（PyTorch state_dict）结尾，但所选格式是 TensorFlow.js 模型：未写入任何文件。' +
        '请用以 “.json” 结尾的文件名保存，或选择 PyTorch state_dict',
    );
    expect(() => exportPathFor('/w/model.', 'onnx')).toThrow('“model.”以句点结尾：未写入任何文件。');
  });

  it("says why a run's stored weights cannot be loaded", async () => {
    await writeFile(join(dir, 'w.bin'), Buffer.alloc(8));
    expect(await weightsProblem(join(dir, 'w.json'), join(dir, 'w.bin'))).toBe('w.json：文件不存在');
    await writeFile(join(dir, 'w.json'), '{"version": 1, "tensors": [], "topology": {}}');
    expect(await weightsProblem(join(dir, 'w.json'), join(dir, 'w.bin'))).toBe('w.json：不是本网络权重的索引');
  });
});
