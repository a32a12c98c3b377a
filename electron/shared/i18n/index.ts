/**
 * Athanor's words in English and Simplified Chinese, through i18next: one catalogue a language (en/, zh-CN/), one
 * `t` that main, the renderer and the report share. The keys are typed from the English catalogue (i18next.d.ts), so
 * a misspelt key or a missing `{{parameter}}` fails the typecheck, and zh-CN/ is typed as the same shape, so a key
 * missing from either language fails it too. The CLI stays English: it never calls setLanguage.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, as the Language menu shows it. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '简体中文' };

const i18n: I18n = i18next.createInstance();
void i18n.init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: 'en',
  fallbackLng: 'en',
  // Svelte escapes what it renders and the report escapes what it writes; escaping here would escape twice.
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** A message in the current language; `params` fill its `{{name}}`s (the typecheck asks for every one). */
export const t = i18n.t.bind(i18n) as typeof i18n.t;

/** Switches every later `t` and `locale()` of this process (main and the renderer each keep their own). */
export function setLanguage(language: Language): void {
  void i18n.changeLanguage(language);
}

/** The current language; also the BCP 47 locale `Intl` formats numbers and dates with. */
export function language(): Language {
  return i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
}

/**
 * The app's language for the system's preferred languages, in order (Electron's app.getPreferredSystemLanguages(),
 * BCP 47 tags such as "zh-Hans-CN", "zh-CN", "en-US"): the first that Athanor speaks. Any Chinese tag gets Simplified
 * Chinese, the one Chinese Athanor has; nothing Athanor speaks gets English.
 */
export function matchLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

/** Narrows an untrusted value (a preferences file, an IPC payload) to a language, or null. */
export function asLanguage(value: unknown): Language | null {
  return (LANGUAGES as readonly unknown[]).includes(value) ? (value as Language) : null;
}
