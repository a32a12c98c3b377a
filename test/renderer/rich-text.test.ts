import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage, t } from '../../electron/shared/i18n';
import { marks, pieces } from '../../renderer/src/lib/rich-text';

const words = { lead: 'Lead.', cpu: 'CPU!', gpu: 'GPU!', compare: 'Both!' };

describe('a message with set-apart parameters', () => {
  afterEach(() => setLanguage('en'));

  it('cuts into its text and its marked parameters, in the order and spacing each language has', () => {
    const english = pieces(t('progress.pressCpu', marks(['lead', 'cpu'])), words);
    expect(english).toEqual([
      { text: 'Lead.', mark: 'lead' },
      { text: ' Press ', mark: null },
      { text: 'CPU!', mark: 'cpu' },
      { text: ' to start.', mark: null },
    ]);
    setLanguage('zh-CN');
    const chinese = pieces(t('progress.pressAny', marks(['lead', 'cpu', 'gpu', 'compare'])), words);
    expect(chinese).toEqual([
      { text: 'Lead.', mark: 'lead' },
      { text: '点击', mark: null },
      { text: 'CPU!', mark: 'cpu' },
      { text: '、', mark: null },
      { text: 'GPU!', mark: 'gpu' },
      { text: '，或点击', mark: null },
      { text: 'Both!', mark: 'compare' },
      { text: '比比谁更快。', mark: null },
    ]);
  });

  it('is one plain piece when nothing is marked, and nothing when empty', () => {
    expect(pieces('No marks here.', words)).toEqual([{ text: 'No marks here.', mark: null }]);
    expect(pieces('', words)).toEqual([]);
  });
});
