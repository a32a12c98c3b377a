/**
 * A drawing made into an MNIST input, the way MNIST's digits were made from NIST's (Y. LeCun, C. Cortes,
 * C. J. C. Burges, "The MNIST database of handwritten digits", http://yann.lecun.com/exdb/mnist/): "size normalized
 * to fit in a 20x20 pixel box while preserving their aspect ratio. The resulting images contain grey levels as a
 * result of the anti-aliasing technique used by the normalization algorithm. The images were centered in a 28x28
 * image by computing the center of mass of the pixels, and translating the image so as to position this point at
 * the center of the 28x28 field." Then the reference's transform, (x/255 - 0.5) / 0.5. Pure: no DOM.
 */

export const SIDE = 28;
export const BOX = 20;

export interface PreparedDigit {
  /** 784 grey levels 0..255 (0 = background), row-major, as an MNIST idx file stores them. */
  grey: Uint8Array;
  /** The network's input: 784 values (grey/255 - 0.5) / 0.5, in [-1, 1]. */
  input: Float32Array;
  /** The ink's bounding box in the drawing, px. */
  bounds: { x: number; y: number; width: number; height: number };
  /** The box the ink was scaled into: its longer side is 20 px. */
  scaled: { width: number; height: number };
  /** Where the scaled box's top-left corner went in the 28x28 image. */
  offset: { x: number; y: number };
}

/**
 * @param ink one value a pixel, 0 (no ink) to 255 (full ink), row-major `width` x `height` (a canvas's alpha
 *   channel, say).
 * @returns the prepared 28x28 digit, or null when there is no ink at all.
 */
export function prepareDigit(ink: ArrayLike<number>, width: number, height: number): PreparedDigit | null {
  if (ink.length !== width * height) throw new Error(`expected ${width * height} ink values, got ${ink.length}`);
  const bounds = inkBounds(ink, width, height);
  if (!bounds) return null;
  const scale = BOX / Math.max(bounds.width, bounds.height);
  const scaled = {
    width: Math.max(1, Math.round(bounds.width * scale)),
    height: Math.max(1, Math.round(bounds.height * scale)),
  };
  const box = resampleArea(crop(ink, width, bounds), bounds.width, bounds.height, scaled.width, scaled.height);

  const mass = centreOfMass(box, scaled.width, scaled.height);
  // Whole-pixel translation, as in the published preprocessing; kept inside the field so no ink is cut off.
  const clampTo = (v: number, size: number) => Math.min(SIDE - size, Math.max(0, v));
  const offset = {
    x: clampTo(Math.round(SIDE / 2 - mass.x), scaled.width),
    y: clampTo(Math.round(SIDE / 2 - mass.y), scaled.height),
  };
  const grey = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < scaled.height; y++) {
    for (let x = 0; x < scaled.width; x++)
      grey[(y + offset.y) * SIDE + x + offset.x] = Math.round(Math.min(255, box[y * scaled.width + x]));
  }
  return { grey, input: normalise(grey), bounds, scaled, offset };
}

/** The reference's ToTensor + Normalize((0.5,), (0.5,)), with float32 rounding after each step as PyTorch does. */
export function normalise(grey: ArrayLike<number>): Float32Array {
  return Float32Array.from(grey, (v) => Math.fround(Math.fround(v / 255) - 0.5) / 0.5);
}

/** Centre of mass in pixel coordinates, pixel centres at +0.5 (a single pixel at (0, 0) has its mass at (0.5, 0.5)). */
export function centreOfMass(values: ArrayLike<number>, width: number, height: number): { x: number; y: number } {
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : { x: width / 2, y: height / 2 };
}

function inkBounds(ink: ArrayLike<number>, width: number, height: number): PreparedDigit['bounds'] | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] <= 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function crop(ink: ArrayLike<number>, width: number, b: PreparedDigit['bounds']): Float64Array {
  const out = new Float64Array(b.width * b.height);
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) out[y * b.width + x] = ink[(y + b.y) * width + x + b.x];
  }
  return out;
}

/**
 * Area-averaging resize (a box filter over each target pixel's footprint, fractional edges weighted by their
 * overlap): shrinking a sharp stroke leaves grey edges, the anti-aliasing MNIST's normalisation produced.
 */
export function resampleArea(
  src: ArrayLike<number>,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Float64Array {
  const rows = new Float64Array(toWidth * height);
  for (let y = 0; y < height; y++) resample1d(src, y * width, 1, width, rows, y * toWidth, 1, toWidth);
  const out = new Float64Array(toWidth * toHeight);
  for (let x = 0; x < toWidth; x++) resample1d(rows, x, toWidth, height, out, x, toWidth, toHeight);
  return out;
}

function resample1d(
  src: ArrayLike<number>,
  srcStart: number,
  srcStride: number,
  n: number,
  dst: Float64Array,
  dstStart: number,
  dstStride: number,
  m: number,
): void {
  const step = n / m; // source pixels under one target pixel
  for (let j = 0; j < m; j++) {
    const from = j * step;
    const to = from + step;
    let sum = 0;
    for (let i = Math.floor(from); i < Math.min(n, Math.ceil(to)); i++) {
      const overlap = Math.min(to, i + 1) - Math.max(from, i);
      if (overlap > 0) sum += src[srcStart + i * srcStride] * overlap;
    }
    dst[dstStart + j * dstStride] = sum / step;
  }
}
