/** Numeric helpers the kernel and engine tests share, in Node and in a page alike (no imports). */

/** Deterministic values in [-1, 1) (a 32-bit LCG), so every backend sees the same inputs. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** max |a - b| over max |b|: how far apart two results are, relative to their size (Infinity if lengths differ). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let size = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    size = Math.max(size, Math.abs(b[i]));
  }
  return size === 0 ? diff : diff / size;
}
