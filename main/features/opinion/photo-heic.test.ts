/**
 * A real HEIC (issue 13 item 2): test/fixtures/photos/plaie-gps.heic was made once with Debian's
 * libheif-examples (`heif-enc -q 40` from a 1600×1200 JPEG carrying EXIF GPS;
 * heif-enc copies a JPEG's EXIF into the HEIF `Exif` item). Nothing here needs libheif-examples:
 * the core decodes HEIC with heic-convert (libheif compiled to JS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, MAX_SIDE, preparePhoto, sniffPhoto } from './photo';

const HEIC = readFileSync(join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'photos', 'plaie-gps.heic'));

describe('a HEIC photo from a phone', () => {
  it('the fixture is a real HEIC that carries a GPS location', async () => {
    expect(sniffPhoto(HEIC)).toBe('heic');
    // exifr 7.1.3 does not walk the item location box libheif writes (« Malformed EXIF data »):
    // the Exif item's TIFF block is read where its header starts.
    const tiff = HEIC.subarray(HEIC.indexOf(Buffer.from('II*\0', 'latin1')));
    const gps = await exifr.gps(tiff);
    expect(gps?.latitude).toBeCloseTo(43.89, 1);
    expect(gps?.longitude).toBeCloseTo(-0.499, 1);
  });

  it('is converted to a JPEG within the bounds, without EXIF nor location', async () => {
    const out = await preparePhoto(HEIC);
    expect(sniffPhoto(out.data)).toBe('jpeg');
    expect(out.contentType).toBe('image/jpeg');
    expect(out.data.length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
    const meta = await sharp(out.data).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([out.width, out.height]);
    expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(MAX_SIDE);
    // The whole picture, not a thumbnail: 1600×1200 in one orientation or the other.
    expect([out.width, out.height].sort()).toEqual([1200, 1600]);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(await exifr.gps(out.data)).toBeUndefined();
    expect(await exifr.parse(out.data)).toBeUndefined();
    // Still the photo: the wound's red is in the middle, the skin tone at the corner.
    const { data, info } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    // Inside the wound's red ring (x 1050, y 620 of the 1600×1200 source).
    const [r, g] = at(Math.round((1050 / 1600) * info.width), Math.round((620 / 1200) * info.height));
    expect(r! - g!).toBeGreaterThan(60);
    const [cr, cg, cb] = at(5, 5);
    expect(cr!).toBeGreaterThan(cb!);
    expect(cg!).toBeGreaterThan(100);
  }, 60_000);
});
