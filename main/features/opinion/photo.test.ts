import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, MAX_SIDE, preparePhoto, sniffPhoto } from './photo';

/** A large noisy photo (noise does not compress: the size bound is really exercised) with GPS EXIF. */
async function phoneLikeJpeg(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = 12345;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    raw[i] = x >>> 24;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: 'Relais', Model: 'Test phone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 53/1 24/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 29/1 56/1' },
    })
    .toBuffer();
}

describe('opinion photos are prepared in the core', () => {
  it('removes the EXIF location and holds the size bounds', async () => {
    const input = await phoneLikeJpeg(4032, 3024);
    // The test photo really carries a location and is over the bounds.
    const gps = await exifr.gps(input);
    expect(gps?.latitude).toBeCloseTo(43.89, 1);
    expect(input.length).toBeGreaterThan(MAX_PHOTO_BYTES);

    const out = await preparePhoto(input);
    expect(await exifr.gps(out.data)).toBeUndefined();
    expect(await exifr.parse(out.data)).toBeUndefined();
    expect(out.data.length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
    expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(MAX_SIDE);
    const meta = await sharp(out.data).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(MAX_SIDE);
    expect(meta.exif).toBeUndefined();
  }, 60_000);

  it('converts a PNG to JPEG and keeps a small photo at its size', async () => {
    const png = await sharp({ create: { width: 640, height: 480, channels: 4, background: { r: 200, g: 80, b: 80, alpha: 0.5 } } }).png().toBuffer();
    expect(sniffPhoto(png)).toBe('png');
    const out = await preparePhoto(png);
    expect(sniffPhoto(out.data)).toBe('jpeg');
    expect([out.width, out.height]).toEqual([640, 480]);
  });

  it('refuses what is not a photo, whatever its name says', async () => {
    await expect(preparePhoto(Buffer.from('%PDF-1.4 not a photo'))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'photos' });
    expect(sniffPhoto(Buffer.from([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63, 0, 0]))).toBe('heic');
  });
});
