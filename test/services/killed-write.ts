/**
 * A process that dies in the middle of writeFileAtomic (forked by killed-writes.test.ts): it writes half the bytes
 * of `path`'s temp file, then either exits at once ('exit') or says 'writing' and waits to be killed ('kill').
 */
import { writeFileAtomic, type WriteStep } from '../../electron/fs-atomic';

const [path, how] = process.argv.slice(2);
const halfThenStop: WriteStep = async (handle, data) => {
  await handle.write(String(data).slice(0, 1 << 19));
  if (how === 'exit') process.exit(0);
  process.send?.('writing');
  setInterval(() => undefined, 60_000); // alive (an idle process would exit, and tidy up) until SIGKILL
  await new Promise(() => undefined);
};
void writeFileAtomic(path, 'x'.repeat(1 << 20), halfThenStop);
