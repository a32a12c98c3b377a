/**
 * A second process writing the history: forked by history-faults.test.ts with the folder and the ids to put. It
 * opens the store, says 'ready', and on 'go' puts its rows one after another, so its writes interleave with the
 * test process's own.
 */
import { HistoryStore } from '../../electron/services/history-store';
import { makeRecord } from './fixtures';

async function main(): Promise<void> {
  const [dir, ...ids] = process.argv.slice(2);
  const store = await HistoryStore.open(dir);
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send?.('ready');
  });
  for (const id of ids) await store.put(makeRecord(id, { hardware: `written by ${process.pid}` }));
}

main().then(() => process.disconnect(), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
