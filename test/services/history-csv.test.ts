import { afterEach, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, toCsv } from '../../electron/services/history-csv';
import { setLanguage } from '../../electron/shared/i18n';
import { en } from '../../electron/shared/i18n/en';
import { zhCN } from '../../electron/shared/i18n/zh-CN';
import { makeRecord } from './fixtures';

const A = '20250102-030405678-cpu-000001';

afterEach(() => setLanguage('en'));

describe('toCsv in Chinese', () => {
  it('heads the columns in Chinese after a byte order mark, and keeps the cells machine-readable', () => {
    setLanguage('zh-CN');
    const [header, line, end] = toCsv([makeRecord(A)]).split('\r\n');
    expect(header).toBe(
      '\uFEFF编号,开始时间,状态,设备,硬件,引擎,轮数,批大小,学习率,动量,随机种子,' +
        '训练图像数,训练用时（秒）,每轮秒数,每秒图像数,最终损失,测试集准确率,说明',
    );
    // The same cells as in English: '.' decimals, no grouping, ISO times, status and device codes.
    expect(line).toBe(
      `${A},2025-01-02T03:04:05.678Z,done,cpu,Intel(R) Xeon(R) CPU @ 2.20GHz,wasm 4.22.0,5,64,0.001,0.9,42,` +
        '60000,44,8.8,6818.2,0.081,0.9799,',
    );
    expect(end).toBe('');
  });

  it('has a header for every column in both languages (a new setting column needs one)', () => {
    expect(CSV_COLUMNS.filter((c) => en.history.csv[c] !== c)).toEqual([]);
    expect(CSV_COLUMNS.filter((c) => !/^[\u4e00-\u9fff]/.test(zhCN.history.csv[c]))).toEqual([]);
  });
});
