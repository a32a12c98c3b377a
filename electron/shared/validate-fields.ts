/**
 * Field checks for the messages workers and GPU pages send (validate-message.ts): each returns the value it checked,
 * typed, or throws validate.ts's Refusal naming `field` and a short description of what came instead.
 */
import { describeValue as describe } from './describe-value';
import { fail } from './validate';

/** Longer text is damage, not an engine name or an error message; the same bound as a history row's (history-rows.ts). */
export const MAX_TEXT = 100_000;

export function list(v: unknown, field: string, length?: number): unknown[] {
  if (!Array.isArray(v)) fail(`${field} must be a list, got ${describe(v)}`);
  if (length !== undefined && v.length !== length) fail(`${field} must have ${length} entries, got ${v.length}`);
  return v;
}

export function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length > MAX_TEXT) fail(`${field} must be text of at most ${MAX_TEXT.toLocaleString('en-US')} characters, got ${describe(v)}`);
  return v;
}

export function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(`${field} must be true or false, got ${describe(v)}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(`${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

/** A whole number from `min` to `max`. */
export function whole(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    fail(`${field} must be a whole number ${range}, got ${describe(v)}`);
  }
  return v;
}

/** A loss: any finite number (a NaN or infinite loss ends a run as diverged before it is reported). */
export function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${field} must be a finite number, got ${describe(v)}`);
  return v;
}

/** A duration or a rate: finite and not negative. */
export function amount(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${field} must be a finite number of at least 0, got ${describe(v)}`);
  return v;
}

export function fraction(v: unknown, field: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${field} must be a number from 0 to 1, got ${describe(v)}`);
  return v;
}
