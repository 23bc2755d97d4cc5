import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { RelaisEvent } from '../../contract';
import type { ApiDispatcher } from '../api/dispatch';
import type { EventBus } from '../events';
import { newToken, tokensEqual } from '../instance/token';
import { createGuardedServer, hostAllowed, refuse, refuseSocket, requestUrl } from '../util/http-guard';
import { createMediaRoute } from './media-route';
import { readStatic } from './static-files';

/** Same policy as the Electron window; the renderer's index.html carries it as a meta tag too. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  // blob: only for the ordonnance preview (a PDF this page made itself from the core's answer).
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const RequestFrameSchema = z.object({ id: z.number().int(), method: z.string().max(64), payload: z.unknown() });

/** What a host serves: the session host (sign-in around the core), or a bare core's composition in tests. */
export interface HostedApp {
  readonly events: EventBus;
  dispatch: ApiDispatcher;
  replayForNewWindow(): RelaisEvent[];
  fetchAttachment(src: string): Promise<{ contentType: string; data: Uint8Array }>;
}

/** A signed-in composition served as is (tests of the transport, without the sign-in step). */
export function hostComposition(composition: { core: { events: EventBus; replayForNewWindow(): RelaisEvent[]; fetchAttachment: HostedApp['fetchAttachment'] }; dispatch: ApiDispatcher }): HostedApp {
  const { core } = composition;
  return {
    events: core.events,
    dispatch: composition.dispatch,
    replayForNewWindow: () => core.replayForNewWindow(),
    fetchAttachment: (src) => core.fetchAttachment(src),
  };
}

export interface WebHostOptions {
  app: HostedApp;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; random per run otherwise. */
  token?: string;
}

export interface WebHost {
  /** The URL to open, token included (in the fragment, so it never reaches a server log). */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Second host of the core: serves the built renderer on 127.0.0.1 and speaks the contract over a
 * WebSocket. Only a page served by this host and holding the per-run token can call it.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const { app, rendererDir } = options;
  let origin = '';

  const securityHeaders = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };

  const media = createMediaRoute({ token, fetchAttachment: (src) => app.fetchAttachment(src), baseHeaders: securityHeaders });

  let port = 0;
  const server = createGuardedServer(
    async (req: IncomingMessage, res: ServerResponse) => {
      // DNS rebinding: a page of evil.example resolved to 127.0.0.1 still sends Host: evil.example.
      if (!hostAllowed(req.headers.host, port)) return refuse(res, 421, securityHeaders);
      const url = requestUrl(req, origin);
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, securityHeaders);
      if (media.owns(url.pathname)) return media.handle(req, url, res);
      const file = await readStatic(rendererDir, url.pathname);
      if (!file) {
        res.writeHead(404, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' }).end('Introuvable');
        return;
      }
      res.writeHead(200, {
        ...securityHeaders,
        'content-type': file.type,
        'cache-control': url.pathname === '/' || url.pathname.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    },
    { headers: securityHeaders },
  );

  // journal.post carries files (≤ 10 MB each, base64): room for one at full size (docs/outbox.md).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own error listener from an upgraded socket: without this one, a reset
    // during the refusal below would be an uncaught exception.
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', origin);
      // Host against DNS rebinding; the token proves the page was opened from our printed URL;
      // the Origin proves it is our page and not another local site replaying a leaked token.
      if (
        !hostAllowed(req.headers.host, port) ||
        url.pathname !== '/api' ||
        !tokensEqual(token, url.searchParams.get('token')) ||
        req.headers.origin !== origin
      ) {
        refuseSocket(socket, 403);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch {
      refuseSocket(socket, 400);
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    // A malformed or oversized frame is reported here; without a listener ws would throw.
    ws.on('error', () => ws.terminate());
    const unsubscribe = app.events.subscribe((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event }));
    });
    ws.on('close', unsubscribe);
    for (const event of app.replayForNewWindow()) ws.send(JSON.stringify({ event }));
    ws.on('message', (data) => {
      void answerFrame(ws, data).catch(() => ws.close(1011, 'internal error'));
    });
  });

  async function answerFrame(ws: WebSocket, data: RawData): Promise<void> {
    let frame: z.infer<typeof RequestFrameSchema>;
    try {
      frame = RequestFrameSchema.parse(JSON.parse(String(data)));
    } catch {
      ws.close(1008, 'invalid frame');
      return;
    }
    const result = await app.dispatch(frame.method, frame.payload);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: frame.id, result }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
