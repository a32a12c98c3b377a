/**
 * The run history on disk: one JSON file of RunRecords plus each finished run's weights beside it. Every change
 * rewrites the file atomically, so a crash leaves the previous or the next version, never half of one; and every
 * change is made under a lock file to the rows as they are on disk now, so two processes sharing the folder never
 * overwrite each other's rows. Whatever in the folder cannot be read is set aside with a notice, never deleted, and
 * never stops the app.
 */
import { stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  canReplace,
  isFolder,
  linkTarget,
  reasonFor,
  writeFileAtomic,
  WriteFileError,
  type AtomicOptions,
  type FileData,
} from '../fs-atomic';
import { readRegularText } from '../fs-read';
import { t } from '../shared/i18n';
import { checkRecord } from '../shared/schema/rows';
import type { HistoryState, RunRecord } from '../shared/ipc-contract';
import type { Reason } from '../shared/reasons';
import type { TrainedModel } from '../training/process/protocol';
import { messageOf } from '../training/engines/errors';
import type { RejectedRow } from './history-file';
import { HistoryUnreadableError, readHistory, type ReadText } from './history-read';
import { formatHistorySliced, slicer } from './history-slices';
import {
  FolderError,
  ignoreMissing,
  listProblems,
  LockBusyError,
  LockLostError,
  moveAside,
  prepareFolder,
  withFileLock,
  writeRejected,
  type HeldLock,
} from './history-folder';
import { encodeWeights, readWeights, removeOrphanWeights, weightsPath, weightsProblem } from './history-weights';
import { statusWord } from '../shared/run-end-words';

export { toCsv } from './history-csv';

const FILE = 'history.json';
/** Why a row found 'running' at the start failed: the app closed before the run finished. */
export const INTERRUPTED: Reason = { code: 'run-interrupted' };
/** At most this many reasons in a notice; the side file has them all. */
/** Writes a file atomically (writeFileAtomic): the seam the tests use for a full disk. */
export type WriteFile = (file: string, data: FileData, options?: AtomicOptions) => Promise<void>;

export interface StoreOptions {
  now?: () => Date;
  readText?: ReadText;
  writeFile?: WriteFile;
}

/** How long the start waits for a lock another process holds before it shows the rows as read and repairs later. */
const OPEN_LOCK_WAIT_MS = 500;
/** How often a change is made again from a fresh read after its lock was taken over mid-change. */
const LOST_LOCK_TRIES = 3;

/** A row still 'running' was being trained when the app died: say so rather than lose or hide the row. */
const markInterrupted = (rows: RunRecord[]) =>
  !rows.some((r) => r.status === 'running')
    ? undefined
    : rows.map((r) =>
        r.status === 'running' ? { ...r, status: 'failed' as const, message: null, reason: INTERRUPTED } : r,
      );

export class HistoryStore {
  private records: RunRecord[] = [];
  /** Worded when the history is listed, so that a language switch rewords what was said before it. */
  private notices: (() => string)[] = [];
  /**
   * The reasons the notices give, as made (a file system's or a check's words, without a final full stop): a run
   * that cannot be saved for one of them points at it instead of saying it again.
   */
  private readonly reasonsGiven = new Set<string>();

  /** Adds a notice, and the reason it gives (if any) to those a later notice may point at. */
  private tell(words: () => string, reason?: string): void {
    this.notices.push(words);
    if (reason !== undefined) this.reasonsGiven.add(withoutStop(reason));
  }
  /**
   * history.json as this store last read or wrote it (inode, size, times): while it is still that file, `records`
   * are its rows and a change need not read and parse it again, which for a large history is most of the work.
   */
  private seen: string | null = null;
  /** This process's changes run one after another; the lock file orders them with other processes'. */
  private queue: Promise<void> = Promise.resolve();

  /** Rows that could not be written, with why: shown and written again with every later change until one lands. */
  private readonly unsaved = new Map<string, { record: RunRecord; reason: string }>();
  /** Weights that could not be stored on disk: exportable until the app closes. */
  private readonly memoryWeights = new Map<string, TrainedModel>();
  /** The weights folder is not a folder: stored weights cannot be loaded, and rows do not offer them. */
  private noWeightsFolder = false;

  private constructor(
    readonly dir: string,
    private readonly now: () => Date,
    private readonly readText: ReadText,
    private readonly writeFile: WriteFile,
  ) {}

  /**
   * Opens (or creates) the history in `dir`, repairing what an earlier crash left behind. Never throws and never
   * waits long: whatever is wrong (a file that cannot be read, a folder that takes no writes, a lock another process
   * holds) leaves the rows that can be read on show with a notice that says what, and writes fail with the reason
   * (HistoryUnreadableError for a file that cannot be read) until it is put right.
   */
  static async open(dir: string, options: StoreOptions = {}): Promise<HistoryStore> {
    const store = new HistoryStore(
      dir,
      options.now ?? (() => new Date()),
      options.readText ?? readRegularText,
      options.writeFile ?? ((file, data, atomic) => writeFileAtomic(file, data, undefined, atomic)),
    );
    try {
      for (const moved of await prepareFolder(dir, store.now())) {
        store.notices.push(() => t('history.store.setAside', { path: moved }));
      }
    } catch (err) {
      // In words, naming what could not be made ("…/weights: permission denied"), not an errno line. Besides
      // FolderError, prepareFolder throws only a failed rename's error, which has a code and a path.
      const { code, path } = err as NodeJS.ErrnoException;
      const why = err instanceof FolderError ? err.message : `${path ? `${path}: ` : ''}${reasonFor(code, err)}`;
      store.tell(() => t('history.store.folderNotReady', { dir, why }), why);
    }
    try {
      await store.repair(OPEN_LOCK_WAIT_MS);
    } catch (err) {
      await store.showUnchanged(err);
    }
    return store;
  }

  /**
   * The start could not change the file (`err` says why): its rows are shown as they are read, without the lock
   * (every write is a rename, so a read sees a whole file). A lock another process holds only delays the repairs,
   * which then wait for it behind the window instead of before it.
   */
  private async showUnchanged(err: unknown): Promise<void> {
    if (err instanceof HistoryUnreadableError) {
      this.tell(() => err.message, err.reason);
      return;
    }
    // Said first, before what the read finds; whether there are runs to show is known once it is read.
    const at = this.notices.length;
    if (!(err instanceof LockBusyError)) this.notices.push(() => '');
    try {
      const read = await readHistory(this.file, this.readText);
      if (typeof read === 'object') {
        // As the repair would write them: a row left 'running' is no run of this process's.
        this.records = markInterrupted(read.parsed.records) ?? read.parsed.records;
        const { rejected, damage } = read.parsed;
        if (damage || rejected.length > 0) {
          const [problems, others] = [problemsOf(rejected), read.parsed.records.length];
          const why = damage ?? reasons(problems);
          this.tell(() => t('history.store.rowsUnreadableShown', { why, others }), why);
        }
      }
    } catch (readErr) {
      this.tell(() => messageOf(readErr), reasonOf(readErr));
    }
    if (err instanceof LockBusyError) {
      this.repair().catch((later: unknown) => {
        const why = messageOf(later);
        this.tell(() => t('history.store.notRepaired', { why }), why);
      });
    } else {
      const why = messageOf(err);
      const shown = this.records.length > 0;
      this.notices[at] = () =>
        shown ? t('history.store.cannotChangeShown', { why }) : t('history.store.cannotChange', { why });
      this.reasonsGiven.add(withoutStop(why));
    }
  }

  /**
   * What the start puts right: rows left 'running' by a crash, weights that cannot be loaded, and weights files no
   * row names (a save or a delete killed half-way).
   */
  private async repair(waitMs?: number): Promise<void> {
    let named = new Set<string>();
    await this.update((rows) => {
      named = new Set(rows.map((r) => r.id));
      return markInterrupted(rows);
    }, waitMs);
    await this.setAsideBrokenWeights();
    for (const id of this.unsaved.keys()) named.add(id);
    await removeOrphanWeights(join(this.dir, 'weights'), named);
  }

  /** Resolves when every change asked for so far (the start's repairs included) has been made or has failed. */
  idle(): Promise<void> {
    return this.queue;
  }

  get file(): string {
    return join(this.dir, FILE);
  }

  /**
   * The rows as of this store's last read or write, then the rows not yet written (`unsaved` says why), and every
   * notice so far (null when none).
   */
  state(): HistoryState {
    const onDisk = new Set(this.records.map((r) => r.id));
    const pending = [...this.unsaved.values()]
      .filter(({ record }) => !onDisk.has(record.id))
      .map(({ record, reason }) => ({ ...record, unsaved: reason }));
    const reachable = (r: RunRecord) =>
      this.noWeightsFolder && r.hasWeights && !this.memoryWeights.has(r.id) ? { ...r, hasWeights: false } : r;
    return {
      records: [...this.records, ...pending].map(reachable),
      notice: this.notices.length > 0 ? this.notices.map((words) => words()).join(' ') : null,
    };
  }

  get(id: string): RunRecord | undefined {
    return this.records.find((r) => r.id === id) ?? this.unsaved.get(id)?.record;
  }

  /**
   * Adds a row, or replaces the row with the same id; resolves once it is on disk. A row that would fail the check
   * on the next read is refused here (RowProblem), where the mistake is made, instead of being set aside later.
   */
  async put(record: RunRecord): Promise<void> {
    const { unsaved: _, ...row } = record;
    checkRecord(JSON.parse(JSON.stringify(row)));
    try {
      await this.update((rows) => {
        const i = rows.findIndex((r) => r.id === row.id);
        return i >= 0 ? rows.map((r, j) => (j === i ? row : r)) : [...rows, row];
      });
    } catch (err) {
      // Never lost from view: the row stays listed with the reason, and goes to disk with the next change that can.
      const reason = reasonOf(err);
      // Said once a row, when it is a finished run's (its 'running' row may have failed to save before it).
      if (row.status !== 'running' && (this.unsaved.get(row.id)?.record.status ?? 'running') === 'running') {
        // A reason a notice already gives (the start's, or an earlier run's) is pointed at, not repeated.
        const above = this.reasonsGiven.has(reason);
        const { startedAt, status } = row;
        this.tell(() => {
          const said = { startedAt, status: statusWord(status) };
          return above
            ? t('history.store.runNotSavedAbove', said)
            : t('history.store.runNotSaved', { ...said, why: reason });
        }, reason);
      }
      this.unsaved.set(row.id, { record: row, reason });
      throw err;
    }
  }

  /** Removes the row with this id (ids are unique once read) and its weights; unknown ids are a no-op. */
  async delete(id: string): Promise<HistoryState> {
    const path = weightsPath(this.dir, id, 'bin');
    this.unsaved.delete(id);
    this.memoryWeights.delete(id);
    await this.update((rows) => (rows.some((r) => r.id === id) ? rows.filter((r) => r.id !== id) : undefined));
    await Promise.all([path, weightsPath(this.dir, id, 'json')].map((f) => unlink(f).catch(ignoreMissing)));
    return this.state();
  }

  /**
   * Stores a run's weights: raw float32 in one file, names, shapes and topology in a small index written last.
   * Returns null when they are on disk, or why not: they are then kept in memory, exportable until the app closes.
   * Throws only for weights that are not this network's.
   */
  async saveWeights(id: string, model: TrainedModel): Promise<string | null> {
    try {
      await this.writeWeights(id, model);
      return null;
    } catch (err) {
      if (!(err instanceof WriteFileError)) throw err;
      this.memoryWeights.set(id, model);
      return err.message;
    }
  }

  private async writeWeights(id: string, model: TrainedModel): Promise<void> {
    const { bin, index } = encodeWeights(model);
    await this.writeFile(weightsPath(this.dir, id, 'bin'), bin);
    await this.writeFile(weightsPath(this.dir, id, 'json'), index);
  }

  async loadWeights(id: string): Promise<TrainedModel> {
    return this.memoryWeights.get(id) ?? readWeights(this.dir, id);
  }

  /**
   * Re-reads the file under the lock, applies `change` to the rows found there (undefined: no change) and writes
   * the result when anything changed: another process's rows since our last read are kept, not overwritten. A change
   * whose lock another process took over meanwhile (this one stalled) is not written: it is made again from a fresh
   * read, so it never replaces rows it did not see.
   */
  private update(change: (rows: RunRecord[]) => RunRecord[] | undefined, waitMs?: number): Promise<void> {
    const run = this.queue.then(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await withFileLock(this.file, (held) => this.changeLocked(change, held), {
            waitMs,
            now: this.now,
            onDeadLock: (movedTo, why) =>
              this.tell(() => t('history.store.deadLockSetAside', { why, path: movedTo }), why),
          });
          return;
        } catch (err) {
          if (!(err instanceof LockLostError) || attempt >= LOST_LOCK_TRIES) throw err;
        }
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async changeLocked(change: (rows: RunRecord[]) => RunRecord[] | undefined, held: HeldLock): Promise<void> {
    const disk = await this.readDisk(held);
    // Rows an earlier write could not save go with this one, before it, in the order they were made.
    const pending = [...this.unsaved.values()]
      .map((u) => u.record)
      .filter((r) => !disk.records.some((d) => d.id === r.id));
    const base = pending.length > 0 ? [...disk.records, ...pending] : disk.records;
    const next = change(base) ?? (pending.length > 0 ? base : undefined);
    if (next || disk.dirty) {
      const text = await formatHistorySliced(next ?? disk.records, slicer());
      await this.writeFile(this.file, text, { beforeRename: () => held.check() });
      this.seen = await fileVersion(this.file);
    }
    this.records = next ?? disk.records;
    for (const r of this.records) this.unsaved.delete(r.id);
  }

  /**
   * The rows on disk now, read under `held`; damaged rows are set aside with a notice and `dirty` asks for a
   * rewrite. Only a folder in the file's place is moved aside; a file that cannot be read stays as it is.
   */
  private async readDisk(held: HeldLock): Promise<{ records: RunRecord[]; dirty: boolean }> {
    // A read-only history is the user's say: it is not rewritten, nor set aside, nor split into side files.
    if (!(await canReplace(this.file))) throw new WriteFileError(this.file, 'EREADONLY', reasonFor('EREADONLY', null));
    // A link the user made is written through (writeFileAtomic); one into a folder that is not there cannot be.
    const target = await linkTarget(this.file);
    if (target !== this.file && !(await isFolder(dirname(target)))) {
      throw new WriteFileError(
        this.file,
        'ENOENT',
        `it is a link to ${target}, and ${dirname(target)} is not a folder`,
      );
    }
    // Under the lock no other process writes, so the file read next is the one this version names.
    const version = await fileVersion(this.file);
    if (version !== null && version === this.seen) return { records: this.records, dirty: false };
    this.seen = null;
    const read = await readHistory(this.file, this.readText);
    if (read === 'missing') return { records: [], dirty: false };
    if (read === 'folder') {
      await held.check();
      const aside = await moveAside(this.file, 'unreadable', this.now());
      this.notices.push(() => t('history.store.folderInPlace', { path: aside }));
      return { records: [], dirty: false };
    }
    const { text, parsed } = read;
    const { records, rejected, damage } = parsed;
    if (damage) {
      await held.check();
      const aside = await moveAside(this.file, 'damaged', this.now());
      const [count, problems] = [records.length, problemsOf(rejected)];
      this.notices.push(() => {
        const kept = count === 0 ? t('history.store.keptNone') : t('history.store.keptRows', { count });
        const said = { why: damage, path: aside, kept };
        return problems.length === 0
          ? t('history.store.damaged', said)
          : t('history.store.damagedLost', { ...said, lost: reasons(problems) });
      });
    } else if (rejected.length > 0) {
      await held.check();
      const side = await writeRejected(this.file, rejected, this.now(), text);
      const [problems, total] = [problemsOf(rejected), rejected.length + records.length + parsed.copies];
      this.notices.push(() =>
        t('history.store.rejected', { rejected: problems.length, total, why: reasons(problems), path: side }),
      );
    }
    for (const [from, to] of parsed.renamed) {
      this.notices.push(() => t('history.store.renamed', { from, to }));
    }
    if (parsed.copies > 0) this.notices.push(() => t('history.store.copies', { copies: parsed.copies }));
    const dirty =
      (damage !== null && records.length > 0) || rejected.length > 0 || parsed.renamed.length > 0 || parsed.copies > 0;
    if (!dirty && !damage) this.seen = version;
    return { records, dirty };
  }

  /** A row whose weights cannot be loaded keeps its row, loses its Export button, and its files are set aside. */
  private async setAsideBrokenWeights(): Promise<void> {
    // No weights folder (something else in its place, said at the start): nothing is set aside or rewritten, the
    // stored weights are only out of reach until it is put right (state() shows no Export for them meanwhile).
    this.noWeightsFolder = !(await isFolder(join(this.dir, 'weights')));
    if (this.noWeightsFolder) return;
    const broken = new Map<string, string>();
    for (const r of this.records.filter((row) => row.hasWeights)) {
      const [bin, json] = [weightsPath(this.dir, r.id, 'bin'), weightsPath(this.dir, r.id, 'json')];
      const problem = await weightsProblem(json, bin);
      if (!problem) continue;
      for (const f of [bin, json]) await moveAside(f, 'unreadable', this.now()).catch(ignoreMissing);
      broken.set(r.id, problem);
    }
    if (broken.size === 0) return;
    await this.update((rows) => rows.map((r) => (broken.has(r.id) ? { ...r, hasWeights: false } : r)));
    this.notices.push(() => {
      const list = [...broken]
        .map(([id, why]) => t('history.store.idProblem', { id, why }))
        .join(t('history.store.problemSeparator'));
      return t('history.store.weightsUnreadable', { count: broken.size, list, dir: join(this.dir, 'weights') });
    });
  }
}

type RowProblemWords = Pick<RejectedRow, 'row' | 'reason'>;

/** What a notice keeps of rejected rows: not their values, which may be a damaged file's megabytes of text. */
const problemsOf = (rows: readonly RejectedRow[]): RowProblemWords[] =>
  rows.map(({ row, reason }) => ({ row, reason }));

function reasons(rows: readonly RowProblemWords[]): string {
  return listProblems(rows.map((r) => t('history.store.row', { row: r.row, why: r.reason })));
}

/** Which file is at `path` now: every write is a rename of a new file, so a change shows in inode, size or times. */
async function fileVersion(path: string): Promise<string | null> {
  const info = await stat(path, { bigint: true }).catch(() => null);
  return info && `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

/** A reason as a notice's sentence embeds it: without its own final full stop. */
const withoutStop = (reason: string) => reason.replace(/\.$/, '');

/** Why `err` stopped a read or a write, in a few words: an unreadable history's own reason, else the error's words. */
const reasonOf = (err: unknown) => withoutStop(err instanceof HistoryUnreadableError ? err.reason : messageOf(err));
