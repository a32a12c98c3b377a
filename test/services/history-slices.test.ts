/**
 * A large history is read and written a row at a time, with a pause for the event loop between rows: the text is
 * byte for byte what one JSON.stringify gives, any other layout falls back to one whole parse, and the pauses are
 * counted here rather than timed (bench figures are in the report, not in a test).
 */
import { describe, expect, it } from 'vitest';
import { formatHistory, parseHistory } from '../../electron/services/history-file';
import { formatHistorySliced, parseRowsSliced } from '../../electron/services/history-slices';
import type { RunRecord } from '../../electron/shared/ipc-contract';
import { makeRecord } from './fixtures';

const id = (n: number) => `20250102-030405678-cpu-${n.toString(16).padStart(6, '0')}`;
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makeRecord(id(i), {
      // Text that looks like the layout's own row breaks, inside strings: it must not cut a row.
      message: i % 2 ? 'a,\n  {"id": "x"}\n ]\n}' : null,
      finalLoss: 0.1 * i,
      curve: [{ step: 1, loss: i % 3 ? 2.3 : NaN }],
    }),
  );
const counter = () => {
  const pause = async () => void pause.calls++;
  pause.calls = 0;
  return pause;
};

describe('history slices', () => {
  it('writes exactly what formatHistory writes, pausing once a row, and each row only once', async () => {
    for (const records of [[], rows(1), rows(500)]) {
      const pause = counter();
      expect((await formatHistorySliced(records, pause)).join('')).toBe(formatHistory(records));
      expect(pause.calls).toBe(records.length);
    }
    const records = rows(500);
    await formatHistorySliced(records, counter());
    const again = counter();
    const changed: RunRecord[] = [...records.slice(0, 499), { ...records[499], finalLoss: 0.5 }];
    expect((await formatHistorySliced(changed, again)).join('')).toBe(formatHistory(changed));
    expect(again.calls).toBe(1); // only the changed row is serialized again
  });

  it("reads the store's layout row by row, and hands anything else back for a whole parse", async () => {
    const records = rows(500);
    const pause = counter();
    const parsed = await parseRowsSliced(formatHistory(records), pause);
    expect(parsed).toEqual(JSON.parse(formatHistory(records)).records);
    expect(pause.calls).toBe(499);
    expect(await parseRowsSliced(formatHistory([]), counter())).toEqual([]);
    for (const other of [
      JSON.stringify({ version: 1, records }),
      JSON.stringify({ version: 1, records }, null, 2),
      formatHistory(records).replace(`"id": "${id(7)}"`, `"id": "${id(7)}`),
      formatHistory(records).slice(0, -10),
    ]) {
      expect(await parseRowsSliced(other, counter())).toBeNull();
    }
  });

  it('parseHistory gives the same rows either way, with NaN losses restored', async () => {
    const records = rows(50);
    const fresh = () => 'unused';
    const sliced = await parseHistory(formatHistory(records), fresh, counter());
    const whole = await parseHistory(JSON.stringify({ version: 1, records }), fresh);
    expect(sliced.records).toEqual(records);
    expect(whole.records).toEqual(records);
    expect(Number.isNaN(sliced.records[0].curve[0].loss)).toBe(true);
  });
});
