/**
 * What Relais does with the bytes of an attachment before any window sees them, shared by both
 * hosts (web `/media`, Electron `relais-media:`). An attachment is written by another
 * professional, so its declared content type is an author's claim, not a fact: the type served is
 * the one the bytes prove (magic numbers), and only types the window can show without running
 * anything (raster images, audio, PDF) are served inline. Everything else — HTML, SVG, scripts,
 * office files, unknown bytes — goes out as an opaque download.
 *
 * Why a small sniffer here and not `file-type`: it is not installed (and an ESM-only package that
 * pulls in stream helpers), and we need a dozen fixed signatures, each tested in
 * attachment-policy.test.ts. No guessing by heuristics: an unknown prefix is never showable.
 */

/** The types Relais can show. Anything else is a download. */
export const SHOWABLE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'audio/mpeg',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'audio/mp4',
  'audio/flac',
  'application/pdf',
] as const;
export type ShowableType = (typeof SHOWABLE_TYPES)[number];

/**
 * Served on every attachment answer, shown or downloaded: a document opened from it (a tab, a
 * frame, a navigation) is sandboxed (no script, no same-origin, no form, no popup) and may load
 * nothing at all; the browser never second-guesses the content type.
 */
export const ATTACHMENT_CSP = "sandbox; default-src 'none'";

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** The showable type the bytes prove, or null (unknown, or a type Relais never shows). */
export function sniffShowable(bytes: Uint8Array): ShowableType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WAVE'), 8)) return 'audio/wav';
  // PDF: the header at offset 0 only (Chromium tolerates junk before it: a polyglot's trick).
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(bytes, ascii('OggS'))) return 'audio/ogg';
  if (startsWith(bytes, ascii('fLaC'))) return 'audio/flac';
  // EBML header: WebM, what Chromium's MediaRecorder records a voice message as.
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'audio/webm';
  // ISO BMFF (m4a): a box size then 'ftyp'.
  if (startsWith(bytes, ascii('ftyp'), 4)) return 'audio/mp4';
  if (startsWith(bytes, ascii('ID3'))) return 'audio/mpeg';
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0) {
    // Frame sync: layer bits 00 is AAC in ADTS, anything else an MPEG audio frame (MP3).
    return (bytes[1]! & 0x06) === 0 ? 'audio/aac' : 'audio/mpeg';
  }
  return null;
}

export interface AttachmentAnswer {
  /** Content type actually served: the sniffed one, or application/octet-stream. */
  contentType: string;
  /** Whether the window may show it (inline) or only offer it as a download. */
  showable: boolean;
  headers: Record<string, string>;
}

/**
 * The one decision for an attachment's answer: its type from the bytes (the declared type is
 * ignored), and headers that keep any document it could become inert.
 */
export function attachmentAnswer(data: Uint8Array): AttachmentAnswer {
  const sniffed = sniffShowable(data);
  const contentType = sniffed ?? 'application/octet-stream';
  return {
    contentType,
    showable: sniffed !== null,
    headers: {
      'content-type': contentType,
      'content-disposition': sniffed ? 'inline' : 'attachment',
      'content-security-policy': ATTACHMENT_CSP,
      'x-content-type-options': 'nosniff',
      // Patient data: never in a disk cache, and every open goes through the session checks.
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
    },
  };
}
