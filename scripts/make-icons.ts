/** Draws the tray and app icons (a white relay arrow on teal) as PNG, without an image toolchain. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function icon(size: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const u = x / size, v = y / size;
      const inCircle = (u - 0.5) ** 2 + (v - 0.5) ** 2 < 0.25;
      const arrow = (v > 0.42 && v < 0.58 && u > 0.22 && u < 0.62) || (u >= 0.58 && u < 0.8 && Math.abs(v - 0.5) < 0.8 - u);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const [r, g, b, a] = !inCircle ? [0, 0, 0, 0] : arrow ? [255, 255, 255, 255] : [0, 106, 110, 255];
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const dir = join(import.meta.dirname, '..', 'installer', 'icons');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'tray.png'), icon(32));
writeFileSync(join(dir, 'relais.png'), icon(512));
writeFileSync(join(dir, 'favicon.png'), icon(64));
