/**
 * Max-pool's gradient is a step function: it goes to the largest value of each 2x2 window, so where two values of a
 * window are within float32 rounding of each other, two correct backends that add in different orders (or fuse a
 * multiply-add) can send it to different pixels. These helpers find such windows in the CPU's activations, so a test
 * can say which output channels' kernel gradients may differ by a whole routed term.
 */

/** Relative gap under which two window values count as tied: a few float32 ulps (2^-23 = 1.2e-7). */
export const TIE = 1e-6;

/**
 * The channels of `values` ([n, side, side, channels] after relu, NHWC) that have a 2x2 window (stride 2) whose
 * largest value is positive and has a different value within TIE of it.
 */
export function tiedChannels(values: ArrayLike<number>, n: number, side: number, channels: number): Set<number> {
  const tied = new Set<number>();
  const cells = Math.floor(side / 2);
  for (let b = 0; b < n; b++) {
    for (let cell = 0; cell < cells * cells; cell++) {
      const [ph, pw] = [Math.floor(cell / cells), cell % cells];
      for (let c = 0; c < channels; c++) {
        const at = (s: number) => values[((b * side + 2 * ph + (s >> 1)) * side + 2 * pw + (s & 1)) * channels + c];
        const window = [at(0), at(1), at(2), at(3)];
        const top = Math.max(...window);
        if (top > 0 && window.some((v) => v !== top && top - v <= TIE * top)) tied.add(c);
      }
    }
  }
  return tied;
}
