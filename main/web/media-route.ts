import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../../contract';
import { toErrorShape } from '../errors';
import { newToken, tokensEqual } from '../instance/token';
import { attachmentAnswer } from '../platform/attachment-policy';

/** Where the page trades its API token for the media cookie (once per page load). */
export const MEDIA_SESSION_PATH = '/media/session';

export interface MediaRouteOptions {
  /** The per-run API token: only the page that holds it gets the media cookie. */
  token: string;
  /** The core's (session host's) attachment read: lock, Binary-only, listed entry, role, audit. */
  fetchAttachment(src: string): Promise<{ contentType: string; data: Uint8Array }>;
  /** Headers of every answer of this host (the attachment's own override them). */
  baseHeaders: Record<string, string>;
}

export interface MediaRoute {
  /** Whether this route answers the path (`/media`, `/media/session`). */
  owns(pathname: string): boolean;
  handle(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void>;
}

/** Cookies ignore ports: one name per web host port, so two hosts on 127.0.0.1 never clobber each other. */
function cookieName(req: IncomingMessage): string {
  const port = /:(\d+)$/.exec(req.headers.host ?? '')?.[1] ?? '0';
  return `relais_media_${port}`;
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CARD_REMOVED: 401,
  PLATFORM_UNREACHABLE: 502,
  PLATFORM_ERROR: 502,
};

/**
 * The web host's `/media` (issue 11, items 1 and 11): attachments are authorised by an HttpOnly,
 * SameSite=Strict cookie holding a media-only secret, never by the API token in the URL (which
 * would land in history, Referer and logs). The page obtains the cookie from `/media/session`
 * with its token in an Authorization header. The secret grants `/media` only (Path=/media), and
 * a request another site made (Sec-Fetch-Site other than same-origin: SameSite ignores ports, so
 * a page on another 127.0.0.1 port is « same-site ») is refused as well.
 */
export function createMediaRoute(options: MediaRouteOptions): MediaRoute {
  const mediaSecret = newToken();
  const { baseHeaders } = options;
  const plain = (res: ServerResponse, status: number, body = ''): void => {
    res.writeHead(status, { ...baseHeaders, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  };

  function openSession(req: IncomingMessage, res: ServerResponse): void {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    if (!tokensEqual(options.token, bearer)) return plain(res, 401);
    res
      .writeHead(204, {
        ...baseHeaders,
        'cache-control': 'no-store',
        'set-cookie': `${cookieName(req)}=${mediaSecret}; Path=/media; HttpOnly; SameSite=Strict`,
      })
      .end();
  }

  async function serve(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return plain(res, 403);
    if (!tokensEqual(mediaSecret, cookieValue(req, cookieName(req)))) return plain(res, 401);
    let media: { data: Uint8Array };
    try {
      media = await options.fetchAttachment(url.searchParams.get('src') ?? '');
    } catch (error) {
      const { code } = toErrorShape(error);
      return plain(res, STATUS_OF[code] ?? 500, code);
    }
    // The declared type is ignored: the bytes decide (main/platform/attachment-policy.ts).
    const answer = attachmentAnswer(media.data);
    res.writeHead(200, { ...baseHeaders, ...answer.headers, 'content-length': String(media.data.byteLength) });
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(media.data));
  }

  return {
    owns: (pathname) => pathname === '/media' || pathname === MEDIA_SESSION_PATH,
    handle: (req, url, res) => (url.pathname === MEDIA_SESSION_PATH ? Promise.resolve(openSession(req, res)) : serve(req, url, res)),
  };
}
