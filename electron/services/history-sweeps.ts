/**
 * The batch-size sweeps the Scaling view made, kept beside the run history in a file of their own (sweeps.json),
 * so history.json's format, and every history file written before sweeps, stays as it was. Each change rewrites
 * the file atomically; each sweep read back passes its schema (shared/schema/sweep-record.ts), and one that does not
 * is kept in the file as it was, never dropped, while the others are shown. What it finds wrong is worded when asked
 * (list(), a refused write), so it reads in the language main speaks then, not the one it spoke at the start.
 */
import { join } from 'node:path';
import { t } from '../shared/i18n';
import { reasonFor, writeFileAtomic, type FileData } from '../fs-atomic';
import { readRegularText } from '../fs-read';
import type { SweepList, SweepRecord } from '../shared/ipc-contract';
import { checkSweep } from '../shared/schema/sweep-record';
import { messageOf } from '../training/engines/errors';
import { listProblems, moveAside } from './history-folder';

const FILE = 'sweeps.json';
/** The file's format version: a file of another is another Athanor's, and is left exactly as it is. */
export const SWEEPS_VERSION = 1;

export interface SweepStoreOptions {
  now?: () => Date;
  readText?: (file: string) => Promise<string>;
  writeFile?: (file: string, data: FileData) => Promise<void>;
}

export class SweepStore {
  private sweeps: SweepRecord[] = [];
  /** Entries that failed their check, as read: written back with every change, so a fix by hand can recover them. */
  private kept: unknown[] = [];
  /** What the start found wrong, each worded when the list is asked for. */
  private notices: (() => string)[] = [];
  /** Why nothing may be written over the file (another version's, or unreadable), worded; null when writes may go on. */
  private blocked: (() => string) | null = null;
  /** Changes are written one after another (the app is single-instance; the CLI keeps no sweeps). */
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly options: Required<SweepStoreOptions>,
  ) {}

  /** Reads `dir`/sweeps.json (none yet is an empty list). Never throws: what cannot be read is said in `notice`. */
  static async open(dir: string, options: SweepStoreOptions = {}): Promise<SweepStore> {
    const store = new SweepStore(dir, {
      now: options.now ?? (() => new Date()),
      readText: options.readText ?? readRegularText,
      writeFile: options.writeFile ?? ((file, data) => writeFileAtomic(file, data)),
    });
    await store.read();
    return store;
  }

  get file(): string {
    return join(this.dir, FILE);
  }

  /** Newest first, with what the start found wrong (null when nothing). */
  list(): SweepList {
    return {
      sweeps: [...this.sweeps].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)),
      notice: this.notices.length > 0 ? this.notices.map((words) => words()).join(' ') : null,
    };
  }

  /**
   * Adds `sweep`, or replaces the one with its id, and resolves once the file holds it. A sweep that cannot be
   * written stays listed until the app closes (and goes to disk with the next change that can); the error says why.
   */
  put(sweep: SweepRecord): Promise<void> {
    const checked = checkSweep(JSON.parse(JSON.stringify(sweep)));
    if (!checked.ok) return Promise.reject(new Error(t('scaling.store.notKept', { problem: checked.problem })));
    this.sweeps = [...this.sweeps.filter((s) => s.id !== sweep.id), checked.sweep];
    const write = this.queue.then(() => this.write());
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async write(): Promise<void> {
    if (this.blocked) throw new Error(this.blocked());
    const text = JSON.stringify({ version: SWEEPS_VERSION, sweeps: [...this.kept, ...this.sweeps] }, null, 1);
    await this.options.writeFile(this.file, text);
  }

  private async read(): Promise<void> {
    let text: string;
    try {
      text = (await this.options.readText(this.file)).replace(/^\uFEFF/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      const words = { file: this.file, reason: reasonFor(code, err) };
      this.blocked = () => t('scaling.store.unreadable', words);
      this.notices.push(() => t('scaling.store.unreadableNotice', words));
      return;
    }
    let parsed: { version?: unknown; sweeps?: unknown } | null;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      const error = messageOf(err).slice(0, 120);
      return this.setAside(() => t('scaling.store.notJson', { error }));
    }
    if (typeof parsed?.version === 'number' && parsed.version !== SWEEPS_VERSION) {
      const words = { file: this.file, format: parsed.version };
      this.blocked = () => t('scaling.store.otherVersion', words);
      this.notices.push(() => t('scaling.store.otherVersionNotice', words));
      return;
    }
    if (!Array.isArray(parsed?.sweeps)) return this.setAside(() => t('scaling.store.notSweeps'));
    const problems: { index: number; problem: string }[] = [];
    for (const [i, raw] of (parsed.sweeps as unknown[]).entries()) {
      const checked = checkSweep(raw);
      if (checked.ok) this.sweeps.push(checked.sweep);
      else {
        this.kept.push(raw);
        problems.push({ index: i + 1, problem: checked.problem });
      }
    }
    if (problems.length > 0) {
      this.notices.push(() =>
        t('scaling.store.entries', {
          count: problems.length,
          problems: listProblems(problems.map((p) => t('scaling.store.entry', p))),
          file: this.file,
        }),
      );
    }
  }

  /** A file that is not a sweeps file at all: moved aside whole (nothing in it is lost), and the list starts empty. */
  private async setAside(why: () => string): Promise<void> {
    try {
      const aside = await moveAside(this.file, 'damaged', this.options.now());
      this.notices.push(() => t('scaling.store.setAside', { why: why(), aside }));
    } catch (err) {
      const error = messageOf(err);
      this.blocked = () => t('scaling.store.notMoved', { file: this.file, why: why(), error });
      this.notices.push(() => t('scaling.store.notMovedNotice', { file: this.file, why: why(), error }));
    }
  }
}
