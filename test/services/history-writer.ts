/**
 * A second process writing the history: forked by the history tests with the folder and the ids to put. It opens
 * the store, says 'ready', and on 'go' puts its rows one after another, so its writes interleave with the test
 * process's own. With HISTORY_WRITER_PAUSE=1, its first write after 'go' (under the lock, its rows read and changed,
 * nothing written yet) says 'writing' and waits for 'continue': where a test stops it with SIGSTOP, as a suspend would.
 */
import { writeFileAtomic } from '../../electron/fs-atomic';
import { HistoryStore, type WriteFile } from '../../electron/services/history-store';
import { makeRecord } from './fixtures';

const nextMessage = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

async function main(): Promise<void> {
  const [dir, ...ids] = process.argv.slice(2);
  let pauseNextWrite = false;
  const writeFile: WriteFile = async (file, data, options) => {
    if (pauseNextWrite) {
      pauseNextWrite = false;
      const resume = nextMessage();
      process.send?.('writing');
      await resume;
    }
    await writeFileAtomic(file, data, undefined, options);
  };
  const store = await HistoryStore.open(dir, { writeFile });
  const go = nextMessage();
  process.send?.('ready');
  await go;
  pauseNextWrite = process.env.HISTORY_WRITER_PAUSE === '1';
  for (const id of ids) await store.put(makeRecord(id, { hardware: `written by ${process.pid}` }));
}

main().then(
  () => process.disconnect(),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
