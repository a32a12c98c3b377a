#!/usr/bin/env node
/**
 * Renders build/icon.svg, the one source of Athanor's icon, into every file the installers and the window use:
 *   build/icon.png (1024), build/icons/<n>x<n>.png (Linux), build/icon.ico (Windows), build/icon.icns (macOS),
 *   resources/icon.png (512, the window icon on Linux).
 * The outputs are committed so that builds need no tools; run `node scripts/make-icons.mjs` after editing the SVG.
 * Needs `rsvg-convert` (Debian: apt-get install librsvg2-bin; macOS: brew install librsvg). The ICO and ICNS
 * containers are written here: both are a small header plus a table of images.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS types that hold PNG data, with their pixel size (the @2x types are the retina versions of the one below). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

export function renderPng(svgFile, size) {
  try {
    return execFileSync('rsvg-convert', ['--width', String(size), '--height', String(size), svgFile], {
      maxBuffer: 64 << 20,
    });
  } catch (err) {
    if (err.code === 'ENOENT')
      throw new Error('rsvg-convert not found: apt-get install librsvg2-bin (or brew install librsvg)', { cause: err });
    throw err;
  }
}

/** Decodes the PNGs rsvg-convert writes (8-bit RGBA, not interlaced) into raw RGBA rows, top row first. */
export function decodePng(png) {
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 6 || data[12] !== 0) throw new Error('only 8-bit RGBA, non-interlaced PNGs');
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? rgba[y * stride + x - 4] : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x] : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      rgba[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

/**
 * A classic 32-bit DIB icon image: BGRA rows bottom-up plus the 1-bit AND mask. Used below 256 px, where some
 * Windows tools (NSIS's installer icon, old shell versions) do not read PNG entries.
 */
function dibImage({ width, height, rgba }) {
  const maskStride = Math.ceil(width / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(width, 4);
  header.writeInt32LE(height * 2, 8); // colour rows + mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(width * height * 4 + maskStride * height, 20);
  const pixels = Buffer.alloc(width * height * 4);
  const mask = Buffer.alloc(maskStride * height);
  for (let y = 0; y < height; y++) {
    const row = height - 1 - y;
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = (row * width + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
      if (rgba[from + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([header, pixels, mask]);
}

/** ICO: ICONDIR, one ICONDIRENTRY per image, then the images (PNG at 256 px, DIB below). */
export function icoFile(pngs) {
  const images = pngs.map(({ size, png }) => (size >= 256 ? png : dibImage(decodePng(png))));
  const head = Buffer.alloc(6 + 16 * pngs.length);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(pngs.length, 4);
  let offset = head.length;
  pngs.forEach(({ size }, i) => {
    const entry = 6 + 16 * i;
    head[entry] = size >= 256 ? 0 : size; // 0 means 256
    head[entry + 1] = size >= 256 ? 0 : size;
    head.writeUInt16LE(1, entry + 4);
    head.writeUInt16LE(32, entry + 6);
    head.writeUInt32LE(images[i].length, entry + 8);
    head.writeUInt32LE(offset, entry + 12);
    offset += images[i].length;
  });
  return Buffer.concat([head, ...images]);
}

/** ICNS: 'icns' + total length, then (type, length including the 8-byte header, PNG data) per entry. */
export function icnsFile(entries) {
  const chunks = entries.map(({ type, png }) => {
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + chunks.reduce((sum, c) => sum + c.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}

export function makeIcons(svgFile = path.join(root, 'build', 'icon.svg')) {
  const cache = new Map();
  const png = (size) => {
    if (!cache.has(size)) cache.set(size, renderPng(svgFile, size));
    return cache.get(size);
  };
  const outputs = {
    'build/icon.png': png(1024),
    'resources/icon.png': png(512),
    'build/icon.ico': icoFile(ICO_SIZES.map((size) => ({ size, png: png(size) }))),
    'build/icon.icns': icnsFile(ICNS_TYPES.map(([type, size]) => ({ type, png: png(size) }))),
  };
  for (const size of LINUX_SIZES) outputs[`build/icons/${size}x${size}.png`] = png(size);
  for (const [file, data] of Object.entries(outputs)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), data);
  }
  return Object.fromEntries(Object.entries(outputs).map(([file, data]) => [file, data.length]));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, bytes] of Object.entries(makeIcons())) console.log(`${file}  ${(bytes / 1024).toFixed(1)} KiB`);
}
