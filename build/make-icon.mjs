// Draws build/icon.png (512x512): a rounded square with an airlock hatch, rasterised with zlib only.
// Run: node build/make-icon.mjs. build/icon.svg is the same drawing as a vector.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const here = path.dirname(fileURLToPath(import.meta.url));

/** Coverage of a pixel by a shape, sampled 4x4 for smooth edges. */
function coverage(inside, x, y) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
  }
  return hits / 16;
}

function roundedSquare(px, py) {
  const r = 96;
  const min = 16;
  const max = SIZE - 16;
  const cx = Math.min(Math.max(px, min + r), max - r);
  const cy = Math.min(Math.max(py, min + r), max - r);
  return (
    px >= min && px <= max && py >= min && py <= max && (px - cx) ** 2 + (py - cy) ** 2 <= r * r
  );
}

const centre = SIZE / 2;
const dist = (px, py) => Math.hypot(px - centre, py - centre);
const ring = (px, py) => dist(px, py) >= 140 && dist(px, py) <= 176;
const hatch = (px, py) => dist(px, py) <= 118;
// The hatch's locking bar: a vertical handle across the door.
const bar = (px, py) => Math.abs(px - centre) <= 14 && Math.abs(py - centre) <= 84;
// Eight bolts around the ring.
const bolts = (px, py) => {
  for (let i = 0; i < 8; i++) {
    const a = (i * Math.PI) / 4 + Math.PI / 8;
    if (Math.hypot(px - (centre + 158 * Math.cos(a)), py - (centre + 158 * Math.sin(a))) <= 9)
      return true;
  }
  return false;
};

function blend(dst, src, alpha) {
  for (let i = 0; i < 3; i++) dst[i] = Math.round(dst[i] * (1 - alpha) + src[i] * alpha);
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  row[0] = 0; // PNG filter: none
  for (let x = 0; x < SIZE; x++) {
    const t = y / SIZE;
    const background = [Math.round(20 + 20 * t), Math.round(60 + 40 * t), Math.round(96 + 50 * t)];
    const pixel = [...background];
    blend(pixel, [232, 240, 248], coverage(ring, x, y));
    blend(pixel, [44, 84, 124], coverage(bolts, x, y));
    blend(pixel, [250, 176, 64], coverage(hatch, x, y));
    blend(pixel, [40, 56, 80], coverage(bar, x, y));
    const alpha = Math.round(255 * coverage(roundedSquare, x, y));
    row.set([...pixel, alpha], 1 + x * 4);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
await writeFile(path.join(here, 'icon.png'), png);
console.log(`wrote build/icon.png (${png.length} bytes)`);
