import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Preferences } from '../../electron/services/preferences';

describe('Preferences: the language the app speaks', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'athanor-prefs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("follows the system's first language Athanor speaks until the user chooses", async () => {
    const zh = await Preferences.open(dir, ['fr-FR', 'zh-Hans-CN', 'en-US']);
    expect(zh.language()).toEqual({ language: 'zh-CN', chosen: null, system: 'zh-CN' });
    const en = await Preferences.open(dir, ['de-DE', 'en-GB', 'zh-CN']);
    expect(en.language()).toEqual({ language: 'en', chosen: null, system: 'en' });
    expect((await Preferences.open(dir, [])).language().language).toBe('en');
  });

  it('remembers a choice across restarts, and forgets it when asked to follow the system again', async () => {
    const first = await Preferences.open(dir, ['en-US']);
    expect(await first.chooseLanguage('zh-CN')).toEqual({ language: 'zh-CN', chosen: 'zh-CN', system: 'en' });
    expect(JSON.parse(await readFile(join(dir, 'preferences.json'), 'utf8'))).toEqual({ language: 'zh-CN' });
    const restarted = await Preferences.open(dir, ['en-US']);
    expect(restarted.language()).toEqual({ language: 'zh-CN', chosen: 'zh-CN', system: 'en' });
    expect(await restarted.chooseLanguage(null)).toEqual({ language: 'en', chosen: null, system: 'en' });
    expect((await Preferences.open(dir, ['en-US'])).language().chosen).toBeNull();
  });

  it('reads a damaged or foreign file as no choice, and replaces it at the next choice', async () => {
    const file = join(dir, 'preferences.json');
    for (const text of ['{"language": "fr"}', '{not json', '[]', 'null', '{"language": 7}']) {
      await writeFile(file, text);
      expect((await Preferences.open(dir, ['en-US'])).language(), text).toEqual({
        language: 'en',
        chosen: null,
        system: 'en',
      });
    }
    await (await Preferences.open(dir, ['en-US'])).chooseLanguage('en');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ language: 'en' });
  });

  it('speaks a choice that cannot be written until the app closes, and says why', async () => {
    const prefs = await Preferences.open(dir, ['en-US']);
    // A folder in the file's place: the write is refused whoever runs the test (root included).
    await mkdir(join(dir, 'preferences.json'));
    await expect(prefs.chooseLanguage('zh-CN')).rejects.toThrow(
      /cannot write .*preferences\.json: a directory is in the way/,
    );
    expect(prefs.language()).toEqual({ language: 'zh-CN', chosen: 'zh-CN', system: 'en' });
    expect((await Preferences.open(dir, ['en-US'])).language().chosen).toBeNull();
  });

  it("keeps what else the file holds (a later Athanor's preferences) when it writes the language", async () => {
    const file = join(dir, 'preferences.json');
    await writeFile(file, JSON.stringify({ language: 'en', theme: 'dark', window: { width: 1200 } }));
    await (await Preferences.open(dir, ['en-US'])).chooseLanguage('zh-CN');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      language: 'zh-CN',
      theme: 'dark',
      window: { width: 1200 },
    });
  });
});
