/**
 * Opens the history in a folder of its own process (forked by history-start.test.ts, as another user where the test
 * runs as root, whom no permission stops) and prints what the app would show: the rows, the notice, and what a put
 * of one more row gives.
 */
import { HistoryStore } from '../../electron/services/history-store';
import { makeRecord } from './fixtures';

async function main(): Promise<void> {
  const [dir, id] = process.argv.slice(2);
  const store = await HistoryStore.open(dir);
  const opened = store.state();
  const put = await store.put(makeRecord(id)).then(
    () => null,
    (err: unknown) => (err as Error).message,
  );
  process.stdout.write(
    JSON.stringify({
      ids: opened.records.map((r) => r.id),
      statuses: opened.records.map((r) => r.status),
      notice: opened.notice,
      put,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
