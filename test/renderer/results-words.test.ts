import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage, t } from '../../electron/shared/i18n';
import { STATUS_LOOK } from '../../renderer/src/lib/run-figures';

describe("the results catalogue's forms", () => {
  afterEach(() => setLanguage('en'));

  it("heads a run's end with its badge word as a sentence in English, as Results always did", () => {
    for (const look of Object.values(STATUS_LOOK))
      expect(look.heading).toBe(`${look.word.charAt(0).toUpperCase()}${look.word.slice(1)}.`);
  });

  it("counts a confusion-matrix cell's images in English, and needs no plural in Chinese", () => {
    const cell = (count: number) => t('results.matrix.showCell', { count, label: 3, predicted: 5 });
    expect([cell(1), cell(2)]).toEqual([
      'Show the 1 test image of a 3 predicted as 5',
      'Show the 2 test images of a 3 predicted as 5',
    ]);
    setLanguage('zh-CN');
    expect([cell(1), cell(2)]).toEqual([
      '查看 1 张真实为 3、预测为 5 的测试图像',
      '查看 2 张真实为 3、预测为 5 的测试图像',
    ]);
  });
});
