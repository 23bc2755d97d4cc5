import { describe, expect, it } from 'vitest';
import { ATTACHMENT_CSP, attachmentAnswer, sniffShowable } from './attachment-policy';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('attachment policy: the bytes decide, never the label', () => {
  it.each([
    ['image/png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['image/gif', bytes('GIF89a', [1, 0])],
    ['image/gif', bytes('GIF87a')],
    ['image/webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['audio/wav', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
    ['application/pdf', bytes('%PDF-1.7\n')],
    ['audio/ogg', bytes('OggS', [0])],
    ['audio/flac', bytes('fLaC')],
    ['audio/webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f])],
    ['audio/mp4', bytes([0, 0, 0, 0x20], 'ftypM4A ')],
    ['audio/mpeg', bytes('ID3', [4, 0])],
    ['audio/mpeg', bytes([0xff, 0xfb, 0x90])],
    ['audio/aac', bytes([0xff, 0xf1, 0x50])],
  ])('recognises %s', (type, data) => {
    expect(sniffShowable(data)).toBe(type);
  });

  it.each([
    ['HTML', bytes('<!doctype html><script>parent.x=1</script>')],
    ['HTML after spaces', bytes('   <html>')],
    ['SVG (scriptable)', bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')],
    ['a PDF header after junk (polyglot)', bytes('<html>', '%PDF-1.4')],
    ['JavaScript', bytes('alert(1)')],
    ['a ZIP / office file', bytes('PK', [3, 4])],
    ['empty', bytes()],
    ['a truncated PNG signature', bytes([0x89, 0x50, 0x4e])],
    ['RIFF of another kind (AVI)', bytes('RIFF', [0, 0, 0, 0], 'AVI ')],
  ])('never shows %s', (_what, data) => {
    expect(sniffShowable(data)).toBeNull();
  });

  it('serves a showable file inline with its sniffed type, sandboxed and nosniff', () => {
    const answer = attachmentAnswer(bytes([0xff, 0xd8, 0xff, 0xe0]));
    expect(answer.showable).toBe(true);
    expect(answer.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-disposition': 'inline',
      'content-security-policy': "sandbox; default-src 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it('serves anything else as an opaque download, whatever it claims to be', () => {
    const answer = attachmentAnswer(bytes('<html><script>window.top.pwned=1</script>'));
    expect(answer.showable).toBe(false);
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(answer.headers['content-disposition']).toBe('attachment');
    expect(answer.headers['content-security-policy']).toBe(ATTACHMENT_CSP);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });
});
