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
    /** What the file held, kept as it was beside the language: a later Athanor's preferences survive a choice. */
    private readonly saved: Record<string, unknown>,
  ) {}

  /**
   * Reads `preferences.json` in `dir` (absent, unreadable or malformed: no choice). `systemLanguages` are the
   * system's preferred languages, in order (app.getPreferredSystemLanguages()).
   */
  static async open(dir: string, systemLanguages: readonly string[]): Promise<Preferences> {
    const file = join(dir, 'preferences.json');
    let saved: Record<string, unknown> = {};
    try {
      const read = JSON.parse(await readRegularText(file)) as unknown;
      if (read && typeof read === 'object' && !Array.isArray(read)) saved = read as Record<string, unknown>;
    } catch {
      // No file yet, or one that is not ours to read: the system's language until the user chooses.
    }
    return new Preferences(file, asLanguage(saved.language), matchLanguage(systemLanguages), saved);
  }

  language(): LanguageState {
    return { language: this.chosen ?? this.system, chosen: this.chosen, system: this.system };
  }

  /**
   * Speaks the user's choice from now on (null: follow the system) and keeps it for the next start. Throws
   * WriteFileError when the file cannot be written: the choice then holds for this session only.
   */
  async chooseLanguage(chosen: Language | null): Promise<LanguageState> {
    this.chosen = chosen;
    await writeFileAtomic(this.file, `${JSON.stringify({ ...this.saved, language: chosen }, null, 2)}\n`);
    return this.language();
  }
}
