/**
 * What the user chose that outlives a session and is not a run: for now the language. Kept in `preferences.json` in
 * the app's data folder, written atomically; an unreadable file counts as no choice (the system's language), and is
 * replaced at the next choice.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic';
import { readRegularText } from '../fs-read';
import { asLanguage, matchLanguage, type Language } from '../shared/i18n';

import type { LanguageState } from '../shared/ipc-contract';

export type { LanguageState };

export class Preferences {
  private constructor(
    private readonly file: string,
    private chosen: Language | null,
    private readonly system: Language,
  ) {}

  /**
   * Reads `preferences.json` in `dir` (absent, unreadable or malformed: no choice). `systemLanguages` are the
   * system's preferred languages, in order (app.getPreferredSystemLanguages()).
   */
  static async open(dir: string, systemLanguages: readonly string[]): Promise<Preferences> {
    const file = join(dir, 'preferences.json');
    let chosen: Language | null = null;
    try {
      const saved = JSON.parse(await readRegularText(file)) as unknown;
      chosen = asLanguage((saved as { language?: unknown } | null)?.language);
    } catch {
      // No file yet, or one that is not ours to read: the system's language until the user chooses.
    }
    return new Preferences(file, chosen, matchLanguage(systemLanguages));
  }

  language(): LanguageState {
    return { language: this.chosen ?? this.system, chosen: this.chosen, system: this.system };
  }

  /** Keeps the user's choice (null: follow the system). Throws WriteFileError when the file cannot be written. */
  async chooseLanguage(chosen: Language | null): Promise<LanguageState> {
    await writeFileAtomic(this.file, `${JSON.stringify({ language: chosen }, null, 2)}\n`);
    this.chosen = chosen;
    return this.language();
  }
}
