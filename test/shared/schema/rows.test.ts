/** The row check as the renderer meets rows: in memory, straight from a finished event, not through JSON. */
import { describe, expect, it } from 'vitest';
import { checkRecord } from '../../../electron/shared/schema/rows';
import { makeRecord } from '../../services/fixtures';

const A = '20250102-030405678-cpu-000001';

describe('checkRecord on a row in memory', () => {
  it("accepts a diverged run's NaN losses as they are", () => {
    const good = makeRecord(A, { status: 'diverged', finalLoss: Number.NaN });
    good.curve = [
      { step: 1, loss: 2.3 },
      { step: 2, loss: Number.NaN },
    ];
    const r = checkRecord(good);
    expect([r.finalLoss, r.curve[1].loss, r.curve[0].loss]).toEqual([NaN, NaN, 2.3]);
  });

  it('still refuses a loss that is not a number, and drops a "__proto__" key sent as data', () => {
    expect(() => checkRecord({ ...makeRecord(A), finalLoss: 'NaN' })).toThrow(
      'finalLoss must be a number or null, got "NaN"',
    );
    const r = checkRecord(JSON.parse(JSON.stringify(makeRecord(A)).replace('{', '{"__proto__":{"polluted":1},')));
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
