/**
 * The command line's weights file, checked before training and written after it without losing the weights.
 * The app needs neither: its save dialog returns a checked path, and its runs keep their weights in the history.
 */
import { mkdtemp, open, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { canReplace, linkTarget, reasonFor, tempPathFor, WriteFileError } from '../../fs-atomic';
import { FolderError, makeFolders } from '../../fs-folders';
import { EXPORT_EXTENSIONS, exportWeights, formatForPath, type ExportResult } from '../export/index';
import { weightsNameFor } from '../export/tfjs';
import type { TrainedModel } from '../process/protocol';

export { removeMadeFolders } from '../../fs-folders';

export class OutputError extends Error {
  override name = 'OutputError';
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the folder path is a file',
  ENAMETOOLONG: 'file name too long',
  // The folder exists (checked first), yet a file cannot be made in it: /proc, /sys and the like.
  ENOENT: 'the folder does not take new files (a virtual file system such as /proc)',
};

const reasonOf = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? (err as Error).message;
};

/**
 * Everything about `path` that can be known before training: a known extension (.pth, .pt, .safetensors, .json, .onnx),
 * not a folder nor a device, its folder there (made, with its parents, when missing, as tfjs's file:// save does)
 * and taking the files the export will write (each is created there empty under its temp name, and removed).
 * Returns the folder the weights will go to when it had to be made (with its parents), else null; throws
 * OutputError with a one-line reason.
 */
export async function checkOutputTarget(path: string): Promise<{ madeFolder: string | null; madeFrom: string | null }> {
  // `w.pth/` names a folder that the write would then make a file of, or fail on: say so instead.
  if (endsInSeparator(path) && path.length > 1) {
    // The example keeps the format the name asked for: `a.safetensors/` suggests a .safetensors file.
    const asked = extname(path.slice(0, -1)).toLowerCase();
    const example = `mnist_cnn${Object.values(EXPORT_EXTENSIONS).flat().includes(asked) ? asked : '.pth'}`;
    throw new OutputError(
      `cannot write the weights to ${path}: the name ends in "${path.at(-1)}", so it names a folder; ` +
        `drop the "${path.at(-1)}" to name a file, or name a file in it, such as ${join(path, example)}`,
    );
  }
  // A folder first: "unknown extension" would be the wrong reason for `--out some/folder`.
  const existing = await stat(path).catch(() => null);
  let format;
  try {
    format = formatForPath(path);
  } catch (err) {
    if (!existing?.isDirectory()) throw new OutputError((err as Error).message);
  }
  if (existing?.isDirectory())
    throw new OutputError(
      `cannot write the weights to ${path}: it is a folder; name a file in it, such as ${join(path, 'mnist_cnn.pth')}`,
    );
  if (existing && !existing.isFile())
    throw new OutputError(`cannot write the weights to ${path}: it is not a regular file`);
  if (!(await canReplace(path)))
    throw new OutputError(`cannot write the weights to ${path}: ${reasonFor('EREADONLY', null)}`);

  // A link is written through (writeFileAtomic): its file, and the folder that file goes in, are what to check.
  let target: string;
  try {
    target = await linkTarget(path);
  } catch (err) {
    const why = err instanceof WriteFileError ? err.reason : (err as Error).message;
    throw new OutputError(`cannot write the weights to ${path}: ${why}`);
  }
  const dir = dirname(target);
  const folder = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  let madeFolder: string | null = null;
  let madeFrom: string | null = null;
  if (folder instanceof Error) {
    if (folder.code !== 'ENOENT') throw new OutputError(`cannot write the weights to ${path}: ${reasonOf(folder)}`);
    // The user wants to know where the weights will go (the deepest folder); removeMadeFolders, where it started.
    try {
      madeFrom = await makeFolders(dir);
    } catch (err) {
      if (!(err instanceof FolderError)) throw err;
      throw new OutputError(`cannot make the folder ${dir} for the weights: ${err.message}`);
    }
    madeFolder = dir;
  } else if (!folder.isDirectory()) {
    throw new OutputError(`cannot write the weights to ${path}: ${dir} is not a folder`);
  }
  // The very temp files the export will write (a TF.js model's weights file has a longer name than its .json), so
  // a name too long, a full quota or a folder that takes no files shows now, not after training.
  const written = format === 'tfjs' ? [target, join(dirname(path), weightsNameFor(path, new Uint8Array(0)))] : [target];
  for (const file of written) {
    const probe = tempPathFor(file);
    try {
      await (await open(probe, 'wx')).close();
    } catch (err) {
      throw new OutputError(`cannot write the weights to ${path}: ${reasonOf(err)}`);
    }
    await unlink(probe).catch(() => undefined);
  }
  return { madeFolder, madeFrom };
}

/** Whether `path` ends in a path separator ('/', and on Windows '\\' too): it then names a folder. */
export function endsInSeparator(path: string): boolean {
  return path.endsWith('/') || (process.platform === 'win32' && path.endsWith('\\'));
}

export type SaveOutcome =
  | { saved: true; result: ExportResult }
  | { saved: false; reason: string; rescued: ExportResult | null; rescueReason?: string };

/**
 * Writes the weights to `path`; when that fails after training, writes them to the OS temp folder under the same
 * file name instead, so a run's weights are never lost to a full disk or a folder removed mid-run.
 */
export async function saveWeights(
  path: string,
  model: TrainedModel,
  write: typeof exportWeights = exportWeights,
  rescueDir: string = tmpdir(),
): Promise<SaveOutcome> {
  try {
    return { saved: true, result: await write(path, model) };
  } catch (err) {
    const reason = (err as Error).message;
    // mkdtemp: a new folder only this user can enter (0700), never one someone else made ready at a guessable name.
    let folder: string | undefined;
    try {
      folder = await mkdtemp(join(rescueDir, `athanor-weights-${process.pid}-`));
      return { saved: false, reason, rescued: await write(join(folder, basename(path)), model) };
    } catch (again) {
      // A rescue that failed leaves no empty folder behind.
      if (folder) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
      return { saved: false, reason, rescued: null, rescueReason: (again as Error).message };
    }
  }
}
