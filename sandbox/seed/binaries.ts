/**
 * Small, real binary attachments generated in code (deterministic): a WAV "voice message",
 * a PNG "wound photo" placeholder drawn procedurally, and a one-page PDF.
 */
import { deflateSync } from 'node:zlib';
import { Prng } from './prng';

// ---------- WAV: 8 kHz, 8-bit unsigned PCM, mono, syllable-like voiced bursts ----------
export function makeVoiceWav(rng: Prng, seconds: number): Uint8Array {
  const rate = 8000;
  const n = Math.floor(rate * seconds);
  const samples = new Uint8Array(n);
  const f0Base = rng.pick([110, 130, 170, 200, 220]);
  let t = 0;
  let phase = 0;
  while (t < n) {
    const syl = Math.floor(rate * (0.12 + rng.next() * 0.18));
    const gap = Math.floor(rate * (0.03 + rng.next() * 0.12));
    const f0 = f0Base * (0.85 + rng.next() * 0.3);
    const formant = 500 + rng.next() * 1500;
    for (let i = 0; i < syl && t < n; i++, t++) {
      const env = Math.sin((Math.PI * i) / syl);
      phase += (2 * Math.PI * f0) / rate;
      const v =
        0.55 * Math.sin(phase) +
        0.25 * Math.sin(2 * phase) +
        0.15 * Math.sin((formant / f0) * phase) +
        0.05 * (rng.next() * 2 - 1);
      samples[t] = Math.max(0, Math.min(255, Math.round(128 + 100 * env * v)));
    }
    for (let i = 0; i < gap && t < n; i++, t++) samples[t] = 128 + Math.round((rng.next() - 0.5) * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + n, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(n, 40);
  return new Uint8Array(Buffer.concat([header, Buffer.from(samples)]));
}

// ---------- PNG: wound-photo placeholder ----------
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function makeWoundPng(rng: Prng, width = 120, height = 90): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  const cx = width * (0.4 + rng.next() * 0.2);
  const cy = height * (0.4 + rng.next() * 0.2);
  const rx = width * (0.12 + rng.next() * 0.12);
  const ry = height * (0.1 + rng.next() * 0.12);
  const skin: [number, number, number] = rng.pick([
    [232, 190, 160],
    [214, 168, 136],
    [240, 205, 180],
  ]);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const dx = (x - cx) / rx;
      const dy = (y - cy) / ry;
      const d = Math.sqrt(dx * dx + dy * dy);
      const shade = 1 - 0.15 * (y / height);
      let r = skin[0] * shade;
      let g = skin[1] * shade;
      let b = skin[2] * shade;
      if (d < 1) {
        // wound bed: red/pink with a darker centre (fibrin spots every few pixels)
        const k = 1 - d;
        r = 190 + 40 * k;
        g = 60 - 30 * k;
        b = 60 - 20 * k;
        if ((x * 7 + y * 13) % 17 === 0) {
          r = 220;
          g = 200;
          b = 120;
        }
      } else if (d < 1.35) {
        // inflamed margin
        const k = (1.35 - d) / 0.35;
        r = r * (1 - k) + 225 * k;
        g = g * (1 - k) + 120 * k;
        b = b * (1 - k) + 110 * k;
      }
      // measuring ruler at the bottom
      if (y > height - 10 && y < height - 4) {
        r = g = b = 245;
        if (x % 6 === 0) r = g = b = 30;
      }
      const o = row + 1 + x * 3;
      raw[o] = Math.max(0, Math.min(255, Math.round(r)));
      raw[o + 1] = Math.max(0, Math.min(255, Math.round(g)));
      raw[o + 2] = Math.max(0, Math.min(255, Math.round(b)));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([
      signature,
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', deflateSync(raw, { level: 9 })),
      pngChunk('IEND', new Uint8Array(0)),
    ]),
  );
}

// ---------- PDF: one page of Helvetica text (WinAnsi / latin1) ----------
function pdfEscape(s: string): string {
  // Helvetica/WinAnsi via latin1 bytes: fold the few non-latin1 characters we use.
  return s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\u0153/g, 'oe')
    .replace(/\u2013/g, '-').replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)');
}

export function makePdf(title: string, lines: readonly string[]): Uint8Array {
  const content = [
    'BT',
    '/F1 16 Tf',
    '56 780 Td',
    `(${pdfEscape(title)}) Tj`,
    '/F1 11 Tf',
    '0 -28 Td',
    ...lines.flatMap((l) => [`(${pdfEscape(l)}) Tj`, '0 -16 Td']),
    'ET',
  ].join('\n');
  const contentBytes = Buffer.from(content, 'latin1');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let pos = parts[0]!.length;
  const push = (b: Buffer): void => {
    parts.push(b);
    pos += b.length;
  };
  objects.forEach((body, i) => {
    offsets.push(pos);
    push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, 'latin1'));
  });
  offsets.push(pos);
  push(
    Buffer.concat([
      Buffer.from(`5 0 obj\n<< /Length ${contentBytes.length} >>\nstream\n`, 'latin1'),
      contentBytes,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]),
  );
  const xrefPos = pos;
  const xref = [
    'xref',
    `0 ${offsets.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${offsets.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(xrefPos),
    '%%EOF',
    '',
  ].join('\n');
  push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}
