import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, WriteFileError, type WriteStep } from '../../../electron/fs-atomic';
import { tempDir } from './fixtures';

const enospc = (): NodeJS.ErrnoException =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('writeFileAtomic', () => {
  const tmp = tempDir();
  afterAll(tmp.remove);
  const noTempFiles = (dir = tmp.dir): void => expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);

  it('writes bytes and strings, replacing an existing file', async () => {
    const path = join(tmp.dir, 'a.bin');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await writeFileAtomic(path, 'héllo\n');
    expect(readFileSync(path, 'utf8')).toBe('héllo\n');
    noTempFiles();
  });

  it('fails clearly into a missing directory and leaves nothing behind', async () => {
    const path = join(tmp.dir, 'missing', 'y.pth');
    const before = readdirSync(tmp.dir);
    const err = await writeFileAtomic(path, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteFileError);
    expect((err as WriteFileError).message).toBe(`cannot write ${path}: directory does not exist`);
    expect((err as WriteFileError).code).toBe('ENOENT');
    expect(existsSync(join(tmp.dir, 'missing'))).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual(before);
  });

  it('writes through a link the user made: the file it leads to is replaced, the link stays a link', async () => {
    const real = join(tmp.dir, 'synced');
    mkdirSync(real);
    writeFileSync(join(real, 'history.json'), 'old');
    const link = join(tmp.dir, 'history.json');
    symlinkSync(join(real, 'history.json'), link);
    const chain = join(tmp.dir, 'latest.json');
    symlinkSync('history.json', chain); // relative, and to another link
    await writeFileAtomic(chain, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync(chain).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(real, 'history.json'), 'utf8')).toBe('new');
    noTempFiles();
    noTempFiles(real);
    // A link to nothing yet: the write makes the file it names.
    const dangling = join(tmp.dir, 'to-be.pth');
    symlinkSync(join(real, 'made.pth'), dangling);
    await writeFileAtomic(dangling, 'made');
    expect(readFileSync(join(real, 'made.pth'), 'utf8')).toBe('made');
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    // A loop is refused in words, and stays as it was.
    const loop = join(tmp.dir, 'loop.pth');
    symlinkSync('loop.pth', loop);
    const err = await writeFileAtomic(loop, 'x').catch((e: unknown) => e);
    expect((err as Error).message).toBe(`cannot write ${loop}: a link that loops back on itself`);
    expect(lstatSync(loop).isSymbolicLink()).toBe(true);
    // A link to a read-only file is refused as the file itself is.
    const locked = join(real, 'locked.pth');
    writeFileSync(locked, 'keep');
    chmodSync(locked, 0o444);
    symlinkSync(locked, join(tmp.dir, 'locked-link.pth'));
    await expect(writeFileAtomic(join(tmp.dir, 'locked-link.pth'), 'x')).rejects.toThrow(/read-only/);
    expect(readFileSync(locked, 'utf8')).toBe('keep');
  });

  it('refuses to replace a read-only file, which a rename in a writable folder would do silently', async () => {
    const path = join(tmp.dir, 'locked.pth');
    writeFileSync(path, 'keep me');
    chmodSync(path, 0o444);
    const err = await writeFileAtomic(path, 'new').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteFileError);
    expect((err as WriteFileError).code).toBe('EREADONLY');
    expect((err as WriteFileError).message).toBe(
      `cannot write ${path}: the file is read-only, or not yours to change: Athanor does not replace it`,
    );
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(statSync(path).mode & 0o777).toBe(0o444);
    noTempFiles();
    chmodSync(path, 0o644);
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('keeps the old file when the write fails part-way (disk full)', async () => {
    const path = join(tmp.dir, 'keep.pth');
    writeFileSync(path, 'old contents');
    // Half the bytes land in the temp file, then the disk is full.
    const halfThenFull: WriteStep = async (handle, data) => {
      await handle.write(Buffer.from(data as string).subarray(0, 3));
      throw enospc();
    };
    const err = await writeFileAtomic(path, 'new contents that do not fit', halfThenFull).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`cannot write ${path}: disk full`);
    expect((err as WriteFileError).code).toBe('ENOSPC');
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    noTempFiles();
  });

  it('keeps what is in the way when the final rename fails (a directory at the target)', async () => {
    const path = join(tmp.dir, 'occupied');
    mkdirSync(path);
    writeFileSync(join(path, 'inside.txt'), 'still here');
    await expect(writeFileAtomic(path, 'data')).rejects.toMatchObject({
      message: `cannot write ${path}: a directory is in the way`,
      code: 'EISDIR',
    });
    expect(statSync(path).isDirectory()).toBe(true);
    expect(readFileSync(join(path, 'inside.txt'), 'utf8')).toBe('still here');
    noTempFiles();
  });

  it('reports errors without a known code by their own message', async () => {
    const path = join(tmp.dir, 'odd.txt');
    const failing: WriteStep = async () => {
      throw new Error('something unusual');
    };
    await expect(writeFileAtomic(path, 'x', failing)).rejects.toThrow(`cannot write ${path}: something unusual`);
    expect(existsSync(path)).toBe(false);
    noTempFiles();
  });
});
