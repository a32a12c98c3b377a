import { describe, expect, it } from 'vitest';
import { centreOfMass, normalise, prepareDigit, resampleArea } from '../../renderer/src/lib/mnist-prep';

const W = 280;
const H = 280;

/** A 280x280 drawing with full ink where `inside(x, y)`. */
function drawing(inside: (x: number, y: number) => boolean): Uint8Array {
  const ink = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inside(x, y)) ink[y * W + x] = 255;
  return ink;
}

const rect = (x0: number, y0: number, w: number, h: number) => (x: number, y: number) =>
  x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;

/** The 28x28 image as rows of characters: '#' full ink, '+' grey, '.' background. */
function picture(grey: Uint8Array): string[] {
  return Array.from({ length: 28 }, (_, y) =>
    Array.from(grey.subarray(y * 28, y * 28 + 28), (v) => (v === 255 ? '#' : v > 0 ? '+' : '.')).join(''),
  );
}

describe('prepareDigit (MNIST-style: 20x20 box, aspect kept, centre of mass at the centre)', () => {
  it('returns null for an empty drawing and refuses a wrong size', () => {
    expect(prepareDigit(new Uint8Array(W * H), W, H)).toBeNull();
    expect(() => prepareDigit(new Uint8Array(10), W, H)).toThrow('expected 78400 ink values, got 10');
  });

  it('fits the bounding box into 20x20 keeping the aspect ratio, wherever it was drawn', () => {
    const wide = prepareDigit(drawing(rect(7, 150, 100, 50)), W, H)!;
    expect(wide.bounds).toEqual({ x: 7, y: 150, width: 100, height: 50 });
    expect(wide.scaled).toEqual({ width: 20, height: 10 });
    const tall = prepareDigit(drawing(rect(200, 3, 30, 240)), W, H)!;
    expect(tall.scaled).toEqual({ width: 3, height: 20 }); // 30 * 20/240 = 2.5, rounded half up
    // A solid block stays solid: its centre of mass is its middle, so it lands centred.
    expect(wide.offset).toEqual({ x: 4, y: 9 });
    const rows = picture(wide.grey);
    expect(rows.slice(9, 19).every((r) => r === `....${'#'.repeat(20)}....`)).toBe(true);
    expect(rows.filter((r) => r.includes('#'))).toHaveLength(10);
  });

  it('puts the centre of mass, not the box centre, at the middle of the 28x28 field', () => {
    // An L: a tall bar with a foot to the right. Its mass sits left of and below the box centre.
    const ell = prepareDigit(
      drawing((x, y) => rect(100, 40, 40, 200)(x, y) || rect(100, 200, 160, 40)(x, y)),
      W,
      H,
    )!;
    expect(ell.scaled).toEqual({ width: 16, height: 20 });
    const mass = centreOfMass(ell.grey, 28, 28);
    expect(Math.abs(mass.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(mass.y - 14)).toBeLessThanOrEqual(0.5);
    // The box centre is off the field's centre by the mass's offset within the box.
    expect(ell.offset.x + ell.scaled.width / 2).toBeGreaterThan(14.5);
    expect(ell.offset.y + ell.scaled.height / 2).toBeLessThan(13.5);
  });

  it('keeps the digit inside the field even when its mass lies far off centre', () => {
    // A heavy blob top left and a speck bottom right: moving the mass to the centre would push the speck out.
    const lopsided = prepareDigit(
      drawing((x, y) => rect(0, 0, 60, 60)(x, y) || rect(195, 195, 5, 5)(x, y)),
      W,
      H,
    )!;
    expect(lopsided.scaled).toEqual({ width: 20, height: 20 });
    expect(lopsided.offset).toEqual({ x: 8, y: 8 }); // the mass alone would ask for 11
    expect(lopsided.grey[27 * 28 + 27]).toBeGreaterThan(0); // the speck, in the last pixel
    expect(lopsided.grey.reduce((n, v) => n + (v > 0 ? 1 : 0), 0)).toBe(36 + 1);
  });

  it('anti-aliases: a thin outline shrinks to grey edge pixels of the covered share of ink', () => {
    // A 200x200 square outline 5 px thick: each of the 20x20 target pixels on the edge covers 10x10 source pixels, half inked.
    const outline = prepareDigit(
      drawing((x, y) => rect(40, 40, 200, 200)(x, y) && !rect(45, 45, 190, 190)(x, y)),
      W,
      H,
    )!;
    expect(outline.scaled).toEqual({ width: 20, height: 20 });
    const g = (x: number, y: number) => outline.grey[(y + outline.offset.y) * 28 + x + outline.offset.x];
    expect(g(0, 0)).toBe(191); // corner: 75 of 100 source pixels inked
    expect(g(10, 0)).toBe(128); // edge: 50 of 100
    expect(g(10, 10)).toBe(0);
    expect(outline.offset).toEqual({ x: 4, y: 4 });
  });

  it('normalises as the reference does: background -1, full ink 1, (x/255 - 0.5)/0.5 between', () => {
    const digit = prepareDigit(drawing(rect(100, 100, 40, 40)), W, H)!;
    expect(digit.input[0]).toBe(-1);
    expect(digit.input[14 * 28 + 14]).toBe(1);
    expect(Array.from(normalise([0, 128, 255]))).toEqual([-1, Math.fround(Math.fround(128 / 255) - 0.5) / 0.5, 1]);
  });
});

describe('resampleArea', () => {
  it('averages over each target footprint, with fractional overlaps weighted', () => {
    expect(Array.from(resampleArea([0, 255, 255, 0], 4, 1, 2, 1))).toEqual([127.5, 127.5]);
    expect(Array.from(resampleArea([90, 0, 0], 3, 1, 2, 1))).toEqual([60, 0]);
    expect(Array.from(resampleArea([10, 20, 30, 40], 2, 2, 1, 1))).toEqual([25]);
  });
});
