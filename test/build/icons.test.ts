/**
 * The committed icons: every platform's file made from build/icon.svg, with the sizes and containers each
 * platform reads. The ICO and ICNS writers are ours (scripts/make-icons.mjs), so their structure is checked here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, decodePng, renderPng } from '../../scripts/make-icons.mjs';
import { ROOT } from './builder';

const read = (file: string): Buffer => readFileSync(path.join(ROOT, file));
const alphaAt = ({ width, rgba }: { width: number; rgba: Buffer }, x: number, y: number): number => rgba[(y * width + x) * 4 + 3];

function hasRsvg(): boolean {
  try {
    execFileSync('rsvg-convert', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface IcoEntry {
  size: number;
  data: Buffer;
}

function readIco(ico: Buffer): IcoEntry[] {
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const offset = ico.readUInt32LE(entry + 12);
    return { size: ico[entry] || 256, data: ico.subarray(offset, offset + ico.readUInt32LE(entry + 8)) };
  });
}

/** A 32-bit DIB icon image back to top-down RGBA. */
function dibToRgba(dib: Buffer): { width: number; height: number; rgba: Buffer } {
  const width = dib.readInt32LE(4);
  const height = dib.readInt32LE(8) / 2;
  expect(dib.readUInt16LE(14)).toBe(32);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = 40 + ((height - 1 - y) * width + x) * 4;
      const to = (y * width + x) * 4;
      rgba.set([dib[from + 2], dib[from + 1], dib[from], dib[from + 3]], to);
    }
  }
  return { width, height, rgba };
}

describe('icons', () => {
  it('has the 1024 px master, the window icon and every Linux size, each a real picture', () => {
    for (const [file, size] of [['build/icon.png', 1024], ['resources/icon.png', 512],
      ...LINUX_SIZES.map((n) => [`build/icons/${n}x${n}.png`, n] as const)] as const) {
      const image = decodePng(read(file));
      expect([image.width, image.height], file).toEqual([size, size]);
      // Transparent outside the rounded tile, opaque in the middle.
      expect(alphaAt(image, 0, 0), file).toBe(0);
      expect(alphaAt(image, size >> 1, size >> 1), file).toBe(255);
    }
  });

  it('writes an ICO Windows and NSIS read: DIB images up to 128 px, PNG at 256', () => {
    const entries = readIco(read('build/icon.ico'));
    expect(entries.map((e) => e.size)).toEqual(ICO_SIZES);
    for (const { size, data } of entries) {
      const image = size === 256 ? decodePng(data) : dibToRgba(data);
      expect([image.width, image.height]).toEqual([size, size]);
      if (size !== 256) {
        expect(image.rgba.equals(decodePng(read(`build/icons/${size}x${size}.png`)).rgba), `${size} px`).toBe(true);
        const maskStride = Math.ceil(size / 32) * 4;
        const maskRowBottom = data.subarray(40 + size * size * 4, 40 + size * size * 4 + maskStride);
        expect(maskRowBottom[0] & 0x80, 'transparent corner is masked').toBe(0x80);
      }
    }
  });

  it('writes an ICNS with PNG entries from 16 to 1024 px', () => {
    const icns = read('build/icon.icns');
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Array<[string, number]> = [];
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
      const type = icns.toString('latin1', offset, offset + 4);
      const image = decodePng(icns.subarray(offset + 8, offset + icns.readUInt32BE(offset + 4)));
      expect(image.width).toBe(image.height);
      found.push([type, image.width]);
    }
    expect(found).toEqual(ICNS_TYPES);
  });

  // CI installs librsvg2-bin (.ci/run): there a missing rsvg-convert must fail, not skip.
  it.skipIf(!hasRsvg() && process.env.CI !== 'true')('is up to date with build/icon.svg (run scripts/make-icons.mjs after editing it)', () => {
    const fresh = decodePng(renderPng(path.join(ROOT, 'build', 'icon.svg'), 64)).rgba;
    const committed = decodePng(read('build/icons/64x64.png')).rgba;
    const worst = fresh.reduce((max, value, i) => Math.max(max, Math.abs(value - committed[i])), 0);
    expect(worst).toBeLessThanOrEqual(8);
  });
});
