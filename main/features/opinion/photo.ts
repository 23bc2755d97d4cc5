/**
 * Photos of a « Demande d'avis » (issue 13, item 2), prepared in the core — never in the window —
 * before anything leaves the machine: the type is sniffed from the bytes (JPEG, PNG, HEIC — an
 * iPhone's default), HEIC is decoded (heic-convert), the EXIF orientation applied, then every
 * photo is re-encoded as JPEG without any metadata (sharp writes none unless asked: EXIF, GPS
 * location, camera serial and XMP are gone), downscaled to MAX_SIDE on its longest side, and
 * its quality lowered until it fits MAX_PHOTO_BYTES. A wound photo needs detail, not 12 Mpx.
 */
import sharp from 'sharp';
import { RelaisError } from '../../../contract';

/** Longest side of a photo sent for an opinion (px). */
export const MAX_SIDE = 2048;
/** Bytes of one prepared photo, at most. */
export const MAX_PHOTO_BYTES = 1_500_000;
export const MAX_PHOTOS = 10;

export type PhotoKind = 'jpeg' | 'png' | 'heic';

/** The photo's real type from its first bytes (the file name and the declared type are not trusted). */
export function sniffPhoto(data: Uint8Array): PhotoKind | null {
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length > 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'png';
  if (data.length > 12 && Buffer.from(data.subarray(4, 8)).toString('latin1') === 'ftyp') {
    const brand = Buffer.from(data.subarray(8, 12)).toString('latin1');
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  return null;
}

async function decodeHeic(data: Uint8Array): Promise<Buffer> {
  const { default: convert } = await import('heic-convert');
  return Buffer.from(await convert({ buffer: data, format: 'JPEG', quality: 0.92 }));
}

export interface PreparedPhoto {
  contentType: 'image/jpeg';
  data: Buffer;
  width: number;
  height: number;
}

export async function preparePhoto(data: Uint8Array): Promise<PreparedPhoto> {
  const kind = sniffPhoto(data);
  if (!kind) throw new RelaisError('INVALID_INPUT', 'not a JPEG, PNG or HEIC photo', 'photos');
  const source = kind === 'heic' ? await decodeHeic(data) : Buffer.from(data);
  let side = MAX_SIDE;
  for (const quality of [85, 75, 65, 55, 45]) {
    const { data: out, info } = await sharp(source, { failOn: 'error' })
      .rotate() // applies the EXIF orientation, then the EXIF itself is not written
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }) // a PNG's transparency on white, as printed
      .jpeg({ quality, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    if (out.length <= MAX_PHOTO_BYTES) return { contentType: 'image/jpeg', data: out, width: info.width, height: info.height };
    if (quality === 55) side = Math.round(MAX_SIDE * 0.75);
  }
  throw new RelaisError('INVALID_INPUT', 'photo too detailed to fit the size bound', 'photos');
}
