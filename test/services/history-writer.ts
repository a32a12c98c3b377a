/**
 * A second process writing the history: forked by the history tests with the folder and the ids to put. It opens
 * the store, says 'ready', and on 'go' puts its rows one after another, so its writes interleave with the test
 * process's own. With HISTORY_WRITER_PAUSE=1, its first read after 'go' (made under the lock, before the write)
 * says 'read' and waits for 'continue': the point where a test stops it with SIGSTOP, as a laptop's suspend would.
 */
import { readFile } from 'node:fs/promises';
import { HistoryStore } from '../../electron/services/history-store';
import { makeRecord } from './fixtures';

const nextMessage = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

async function main(): Promise<void> {
  const [dir, ...ids] = process.argv.slice(2);
  let pauseNextRead = false;
  const readText = async (file: string) => {
    const text = await readFile(file, 'utf8');
    if (pauseNextRead) {
      pauseNextRead = false;
      const resume = nextMessage();
      process.send?.('read');
      await resume;
    }
    return text;
  };
  const store = await HistoryStore.open(dir, { readText });
  const go = nextMessage();
  process.send?.('ready');
  await go;
  pauseNextRead = process.env.HISTORY_WRITER_PAUSE === '1';
  for (const id of ids) await store.put(makeRecord(id, { hardware: `written by ${process.pid}` }));
}

main().then(() => process.disconnect(), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
