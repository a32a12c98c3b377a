/**
 * A process that dies in the middle of writeFileAtomic (forked by killed-writes.test.ts): it writes half the bytes
 * of `path`'s temp file, then either exits at once ('exit') or says 'writing' and waits to be killed ('kill').
 */
import { writeFileAtomic, type WriteStep } from '../../electron/fs-atomic';

const [path, how] = process.argv.slice(2);
const halfThenStop: WriteStep = async (handle, data) => {
  await handle.write(typeof data === 'string' ? data.slice(0, data.length / 2) : data.subarray(0, data.length / 2));
  if (how === 'exit') process.exit(0);
  process.send?.('writing');
  await new Promise(() => undefined); // until SIGKILL
};
void writeFileAtomic(path, 'x'.repeat(1 << 20), halfThenStop);
