/** The saved sweeps' notices in the language main speaks when they are asked for, not the one it spoke at the start. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SweepStore } from '../../electron/services/history-sweeps';
import { setLanguage } from '../../electron/shared/i18n';
import { sweepRecord } from './sweep-fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'athanor-sweeps-zh-'));
});
afterEach(async () => {
  setLanguage('en');
  await rm(dir, { recursive: true, force: true });
});

const A = sweepRecord('20261203-120000000-sweep-00000a', '2026-12-03T12:00:00.000Z');

describe('SweepStore in Chinese', () => {
  it('words an unreadable entry in the language of the moment it is listed', async () => {
    const broken = { ...A, id: 'not-an-id' };
    await writeFile(join(dir, 'sweeps.json'), JSON.stringify({ version: 1, sweeps: [A, broken] }));
    const store = await SweepStore.open(dir);
    expect(store.list().notice).toMatch(/^1 saved sweep could not be read \(sweep 2: /);
    setLanguage('zh-CN');
    expect(store.list().notice).toMatch(
      new RegExp(
        `^有 1 次已保存的扫描无法读取（第 2 次扫描：.*）；已按原样保留在 ${join(dir, 'sweeps.json')} 中，其余扫描照常显示。$`,
      ),
    );
  });

  it("words a file that is not JSON, and another version's file, and refuses writes in Chinese", async () => {
    setLanguage('zh-CN');
    await writeFile(join(dir, 'sweeps.json'), '{"version": 1, "sweeps": [');
    const store = await SweepStore.open(dir);
    expect(store.list().notice).toMatch(
      /^无法读取已保存的扫描（它不是有效的 JSON：.*）；该文件已另存为 .*sweeps\.damaged-.*\.json。$/,
    );

    await writeFile(join(dir, 'sweeps.json'), JSON.stringify({ version: 7, sweeps: [] }));
    const newer = await SweepStore.open(dir);
    expect(newer.list().notice).toBe(
      `已保存的扫描文件 ${join(dir, 'sweeps.json')} 由其他版本的 Athanor 写入（格式 7）；该文件保持原样，新的扫描不会保存到其中。`,
    );
    await expect(newer.put(A)).rejects.toThrow('由其他版本的 Athanor 写入（格式 7）');
    await expect(newer.put({ ...A, id: 'not-an-id' })).rejects.toThrow(/^无法保存这次扫描：/);
  });
});
