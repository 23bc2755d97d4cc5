import { toErrorShape } from '../errors';
import { attachmentAnswer } from '../platform/attachment-policy';

/** What the handler needs from the session host: its attachment read (lock, Binary-only, role, audit). */
export interface MediaSource {
  fetchAttachment(src: string): Promise<{ contentType: string; data: Uint8Array }>;
}

const STATUS_OF: Record<string, number> = { INVALID_INPUT: 400, FORBIDDEN: 403, UNAUTHENTICATED: 401, CARD_REMOVED: 401 };

/**
 * The `relais-media:` answer (issue 11, item 1), the same decision as the web host's `/media`:
 * the bytes decide the type (main/platform/attachment-policy.ts), a non-showable file is an
 * opaque download, and every answer carries `sandbox; default-src 'none'` and nosniff.
 * Plain function of a Request: testable without Electron (main/electron/media-protocol.test.ts).
 */
export async function answerMediaRequest(request: Request, source: MediaSource | null): Promise<Response> {
  const refused = (status: number, body: string | null = null) =>
    new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } });
  if (!source) return refused(503);
  const src = new URL(request.url).searchParams.get('src') ?? '';
  let data: Uint8Array;
  try {
    ({ data } = await source.fetchAttachment(src));
  } catch (error) {
    const { code } = toErrorShape(error);
    return refused(STATUS_OF[code] ?? 502, code);
  }
  const answer = attachmentAnswer(data);
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(data), { status: 200, headers: answer.headers });
}
