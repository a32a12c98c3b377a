import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage, t } from '../../electron/shared/i18n';
import { marks, pieces } from '../../renderer/src/lib/rich-text';

const names = { cpu: 'CPU!', gpu: 'GPU!', compare: 'Both!' };

describe('a message with set-apart parameters', () => {
  afterEach(() => setLanguage('en'));

  it('cuts into its text and its marked parameters, in the order each language puts them', () => {
    const english = pieces(t('progress.pressCpu', marks(['cpu'])), names);
    expect(english).toEqual([
      { text: 'Press ', marked: false },
      { text: 'CPU!', marked: true },
      { text: ' to start.', marked: false },
    ]);
    setLanguage('zh-CN');
    const chinese = pieces(t('progress.pressAny', marks(['cpu', 'gpu', 'compare'])), names);
    expect(chinese).toEqual([
      { text: '点击', marked: false },
      { text: 'CPU!', marked: true },
      { text: '、', marked: false },
      { text: 'GPU!', marked: true },
      { text: '，或点击', marked: false },
      { text: 'Both!', marked: true },
      { text: '比比谁更快。', marked: false },
    ]);
  });

  it('is one plain piece when nothing is marked, and nothing when empty', () => {
    expect(pieces('No marks here.', names)).toEqual([{ text: 'No marks here.', marked: false }]);
    expect(pieces('', names)).toEqual([]);
  });
});
