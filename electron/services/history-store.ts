/**
 * The run history on disk: one JSON file of RunRecords plus each finished run's weights beside it. Every change
 * rewrites the file atomically, so a crash leaves the previous or the next version, never half of one.
 */
import { mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic';
import type { HistoryState, RunRecord } from '../shared/ipc-contract';
import { RUN_ID_PATTERN } from '../shared/validate';
import type { TrainedModel } from '../training/protocol';
import { checkWeights } from '../training/weights';

export { toCsv } from './history-csv';

const FILE = 'history.json';
const VERSION = 1;
export const INTERRUPTED_MESSAGE = 'the app closed before this run finished';

interface WeightsIndex {
  version: 1;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  topology: object;
}

export class HistoryStore {
  private records: RunRecord[] = [];
  private notice: string | null = null;
  /** Writes run one after another, each with the list as it was when queued, so the file ends up current. */
  private writes: Promise<void> = Promise.resolve();

  private constructor(readonly dir: string, private readonly now: () => Date) {}

  /** Opens (or creates) the history in `dir`, repairing what an earlier crash left behind. */
  static async open(dir: string, options: { now?: () => Date } = {}): Promise<HistoryStore> {
    const store = new HistoryStore(dir, options.now ?? (() => new Date()));
    await mkdir(join(dir, 'weights'), { recursive: true });
    await store.removeLeftoverTempFiles();
    await store.load();
    return store;
  }

  get file(): string {
    return join(this.dir, FILE);
  }

  state(): HistoryState {
    return { records: this.records.map((r) => r), notice: this.notice };
  }

  get(id: string): RunRecord | undefined {
    return this.records.find((r) => r.id === id);
  }

  /** Adds a row, or replaces the row with the same id; resolves once it is on disk. */
  async put(record: RunRecord): Promise<void> {
    const i = this.records.findIndex((r) => r.id === record.id);
    if (i >= 0) this.records[i] = record;
    else this.records.push(record);
    await this.persist();
  }

  /** Removes a row and its weights; unknown ids are a no-op. */
  async delete(id: string): Promise<HistoryState> {
    const before = this.records.length;
    this.records = this.records.filter((r) => r.id !== id);
    if (this.records.length !== before) await this.persist();
    await Promise.all([this.weightsPath(id, 'bin'), this.weightsPath(id, 'json')].map((f) => unlink(f).catch(ignoreMissing)));
    return this.state();
  }

  /** Stores a run's weights: raw float32 in one file, names, shapes and topology in a small index written last. */
  async saveWeights(id: string, model: TrainedModel): Promise<void> {
    checkWeights(model.weights);
    const total = model.weights.reduce((n, w) => n + w.data.length, 0);
    const data = new Float32Array(total);
    const index: WeightsIndex = { version: 1, tensors: [], topology: model.topology };
    let offset = 0;
    for (const w of model.weights) {
      data.set(w.data, offset);
      index.tensors.push({ name: w.name, shape: [...w.shape], offset, length: w.data.length });
      offset += w.data.length;
    }
    await writeFileAtomic(this.weightsPath(id, 'bin'), new Uint8Array(data.buffer));
    await writeFileAtomic(this.weightsPath(id, 'json'), JSON.stringify(index));
  }

  async loadWeights(id: string): Promise<TrainedModel> {
    let index: WeightsIndex;
    let bytes: Buffer;
    try {
      index = JSON.parse(await readFile(this.weightsPath(id, 'json'), 'utf8')) as WeightsIndex;
      bytes = await readFile(this.weightsPath(id, 'bin'));
    } catch (err) {
      throw new Error(`the weights of run ${id} could not be read (${(err as Error).message})`);
    }
    // Copy into a fresh, aligned buffer: a Buffer may sit at any offset of Node's shared pool.
    const all = new Float32Array(new Uint8Array(bytes).buffer);
    const weights = index.tensors.map((t) => ({ name: t.name, shape: t.shape, data: all.slice(t.offset, t.offset + t.length) }));
    checkWeights(weights);
    return { weights, topology: index.topology };
  }

  private weightsPath(id: string, ext: 'bin' | 'json'): string {
    // Ids become file names: only the run manager's own format may reach the file system.
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`not a run id: ${JSON.stringify(id)}`);
    return join(this.dir, 'weights', `${id}.${ext}`);
  }

  private persist(): Promise<void> {
    const text = JSON.stringify({ version: VERSION, records: this.records }, null, 1);
    const write = this.writes.then(() => writeFileAtomic(this.file, text));
    this.writes = write.catch(() => undefined);
    return write;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.setAside('it is not valid JSON', 0);
    }
    const records = (parsed as { records?: unknown } | null)?.records;
    if ((parsed as { version?: unknown } | null)?.version !== VERSION || !Array.isArray(records)) {
      return this.setAside('it is not a history file this version can read', 0);
    }
    const good = records.filter(isRecord);
    if (good.length < records.length) {
      await this.setAside(`${records.length - good.length} of its ${records.length} rows could not be read`, good.length);
    }
    // A row still 'running' was being trained when the app died: say so rather than lose or hide the row.
    let repaired = false;
    this.records = good.map((r) => {
      if (r.status !== 'running') return r;
      repaired = true;
      return { ...r, status: 'failed', message: INTERRUPTED_MESSAGE };
    });
    if (repaired || good.length < records.length) await this.persist();
  }

  /** Moves an unreadable file out of the way, keeping it for inspection, and tells the user once. */
  private async setAside(why: string, kept: number): Promise<void> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const target = join(this.dir, `history.corrupt-${stamp}.json`);
    await rename(this.file, target);
    this.notice = `The run history could not be read (${why}); it was set aside as ${target}` +
      (kept === 0 ? '; the history starts empty.' : `; the ${kept} readable rows were kept.`);
  }

  /** A temp file from writeFileAtomic survives only a crash mid-write; the real file is intact beside it. */
  private async removeLeftoverTempFiles(): Promise<void> {
    for (const sub of ['', 'weights']) {
      const dir = join(this.dir, sub);
      for (const name of await readdir(dir)) {
        if (name.startsWith('.') && name.endsWith('.tmp')) await unlink(join(dir, name)).catch(ignoreMissing);
      }
    }
  }
}

const STATUSES = new Set(['running', 'done', 'cancelled', 'diverged', 'failed']);

/** Enough of a row's shape that the table, the CSV and the exporter can rely on it. */
function isRecord(r: unknown): r is RunRecord {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return typeof o.id === 'string' && RUN_ID_PATTERN.test(o.id) && typeof o.startedAt === 'string' &&
    STATUSES.has(o.status as string) && (o.device === 'cpu' || o.device === 'gpu') && typeof o.hardware === 'string' &&
    typeof o.settings === 'object' && o.settings !== null && Array.isArray(o.curve) && Array.isArray(o.epochs) &&
    Array.isArray(o.lossWindows) && typeof o.hasWeights === 'boolean';
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
