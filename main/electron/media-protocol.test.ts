import { describe, expect, it } from 'vitest';
import { RelaisError } from '../../contract';
import { answerMediaRequest } from './media-protocol';

const request = (src: string) => new Request(`relais-media://attachment/?src=${encodeURIComponent(src)}`);
const serving = (data: Uint8Array, contentType = 'text/html') => ({ fetchAttachment: async () => ({ contentType, data }) });

describe('relais-media: answers (Electron), the same policy as /media', () => {
  it('an HTML attachment is an opaque download, sandboxed and nosniff, whatever its label', async () => {
    const res = await answerMediaRequest(request('Binary/x'), serving(new TextEncoder().encode('<script>top.x=1</script>'), 'image/png'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a JPEG is served inline as image/jpeg, under the same CSP', async () => {
    const res = await answerMediaRequest(request('Binary/x'), serving(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])));
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
  });

  it("refusals of the core keep their meaning: FORBIDDEN 403, locked 401, nobody signed in 503", async () => {
    const refusing = (code: 'FORBIDDEN' | 'UNAUTHENTICATED') => ({ fetchAttachment: async () => Promise.reject(new RelaisError(code, 'no')) });
    expect((await answerMediaRequest(request('Patient?_count=5'), refusing('FORBIDDEN'))).status).toBe(403);
    expect((await answerMediaRequest(request('Binary/x'), refusing('UNAUTHENTICATED'))).status).toBe(401);
    expect((await answerMediaRequest(request('Binary/x'), null)).status).toBe(503);
  });
});
