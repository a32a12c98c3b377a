/** The field kinds and the plain-object gate every message's object passes: words, copies and refusals. */
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { REFERENCE_CONFIG } from '../../../electron/shared/schema/settings';
import { issueText, list, record, text, whole } from '../../../electron/shared/schema/fields';

const Inner = record({ n: whole(1, 9), note: v.optional(text()) });
const Outer = record({ inner: Inner, items: list(Inner, 2) });

function refusal(value: unknown): string {
  const parsed = v.safeParse(Outer, value, { abortEarly: true });
  if (parsed.success) throw new Error('accepted');
  return issueText(parsed.issues[0], 'it');
}

describe('record and issueText', () => {
  const good = { inner: { n: 3 }, items: [{ n: 1, note: 'a' }, { n: 9 }] };

  it('returns a fresh copy of the checked fields, leaving out keys that hold undefined', () => {
    const parsed = v.parse(Outer, { ...good, inner: { n: 3, note: undefined } });
    expect(parsed).toEqual(good);
    expect('note' in parsed.inner).toBe(false);
    expect(parsed.items).not.toBe(good.items);
    expect(parsed.items[0]).not.toBe(good.items[0]);
  });

  it('names the field by its path, and says what came', () => {
    expect(refusal({ ...good, items: [{ n: 1 }, { n: 10 }] })).toBe(
      'items[1].n must be a whole number from 1 to 9, got 10',
    );
    expect(refusal({ ...good, items: [{ n: 1 }] })).toBe('items must have 2 entries, got 1');
    expect(refusal({ items: good.items })).toBe('inner must be an object, got undefined');
    expect(refusal({ ...good, inner: { n: 1, extra: 1, [Symbol('s')]: 2 } })).toBe(
      'inner has unknown keys "extra", Symbol(s)',
    );
    expect(refusal({ ...good, more: 1 })).toBe('it has unknown key "more"');
    expect(refusal(new Map())).toBe('it must be a plain object');
  });

  it('refuses a getter without running it, quoting the whole path', () => {
    let ran = false;
    const inner = Object.defineProperty({}, 'n', {
      get: () => {
        ran = true;
        return 1;
      },
      enumerable: true,
    });
    expect(refusal({ ...good, inner })).toBe('"inner.n" must be a plain value');
    expect(
      refusal(Object.defineProperty({ items: good.items }, 'inner', { get: () => ({ n: 1 }), enumerable: true })),
    ).toBe('"it.inner" must be a plain value');
    expect(ran).toBe(false);
  });

  it('refuses "__proto__" sent as data, and pollutes nothing', () => {
    expect(refusal(JSON.parse('{"inner":{"n":1},"items":[],"__proto__":{"polluted":1}}'))).toBe(
      'it has unknown key "__proto__"',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a BigInt of millions of digits', () => {
  // Printing this one would take about a minute (valibot prints every refused value unless told what it was).
  const huge = 2n ** 50_000_000n;

  it('is refused at once, in the words a small value gets, wherever it is sent', async () => {
    const { validateArg } = await import('../../../electron/shared/validate');
    const { checkWorkerMessage } = await import('../../../electron/shared/schema/messages');
    const good = { ...REFERENCE_CONFIG, device: 'cpu', epochs: 1, batchSize: 64, lr: 0.01, momentum: 0.9, seed: 1 };
    expect(refusal({ inner: { n: huge }, items: [] })).toBe(
      'inner.n must be a whole number from 1 to 9, got a BigInt of more than 20 digits',
    );
    expect(refusal(huge)).toBe('it must be an object, got a BigInt of more than 20 digits');
    expect(() => validateArg('training:start', { ...good, seed: huge })).toThrow(
      'seed must be a whole number from 0 to 4294967295, got a BigInt of more than 20 digits',
    );
    expect(() => validateArg('history:delete', { id: huge })).toThrow('id must be a run id like');
    expect(() => validateArg('app:info', huge)).toThrow('expects no argument, got a BigInt of more than 20 digits');
    expect(() => checkWorkerMessage({ type: 'error', message: huge })).toThrow(
      'message must be text of at most 100,000 characters, got a BigInt of more than 20 digits',
    );
    expect(() => checkWorkerMessage({ type: 'progress', progress: huge })).toThrow(
      'progress must be an object, got a BigInt',
    );
    // Inside a reason, at any depth: reasons nest, and their fields are checked by shared/reasons.ts's own schema.
    expect(() =>
      checkWorkerMessage({
        type: 'probe-result',
        device: 'gpu',
        ok: false,
        reason: { code: 'gpu-page-failed', cause: { code: 'error', message: huge } },
      }),
    ).toThrow('a "probe-result" message: reason must be a reason (a code with its data), got an object');
    expect(() => checkWorkerMessage({ type: 'error', message: 'x', reason: { code: huge } })).toThrow(
      'reason must be a reason',
    );
  }, 20_000); // unguarded, this takes 90 s here (printing the BigInt seven times); guarded, milliseconds
});
