import { secretsEqual } from '../../instance/token';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PscError } from './errors';

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<random port><path>` (RFC 8252 §7.3). */
  redirectUri: string;
  /** The full callback URL the browser was sent to (code, state, iss… or error). */
  callback: Promise<URL>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;margin:3rem"><h1>${title}</h1><p>${text}</p></body></html>`;

export interface LoopbackOptions {
  /**
   * The `state` of our authorization request. Any page the professional visits can send a GET to
   * a loopback port (an <img>, a fetch): a request without this state is answered 400 and ignored,
   * so it can neither cancel the sign-in (`error=…`) nor inject a code.
   */
  expectedState: string;
  path?: string;
  timeoutMs?: number;
}

/**
 * A one-shot HTTP listener on 127.0.0.1 (random port) for the authorization response. Only GET on
 * the redirect path with our `state` counts; the first one resolves `callback` and the server stops.
 */
export async function startLoopbackRedirect(options: LoopbackOptions): Promise<LoopbackRedirect> {
  const path = options.path ?? '/psc/callback';
  let resolve!: (url: URL) => void;
  let reject!: (error: Error) => void;
  const callback = new Promise<URL>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  callback.catch(() => undefined);
  let done = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (req.method !== 'GET' || url.pathname !== path || done) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    // Same state, compared in constant time (digests of equal length, so no length leak either).
    if (!secretsEqual(options.expectedState, url.searchParams.get('state'))) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Bad request');
      return;
    }
    done = true;
    const failed = url.searchParams.has('error');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .end(
        failed
          ? PAGE('Connexion interrompue', 'La connexion Pro Santé Connect n’a pas abouti. Revenez à Relais pour réessayer.')
          : PAGE('Connexion réussie', 'Vous pouvez fermer cet onglet et revenir à Relais.'),
      );
    resolve(url);
    void close();
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => res());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => {
    if (!done) {
      done = true;
      reject(new PscError('TIMEOUT', 'no answer from Pro Santé Connect in time'));
      void close();
    }
  }, options.timeoutMs ?? 5 * 60_000);
  timer.unref();
  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    clearTimeout(timer);
    if (!done) {
      done = true;
      reject(new PscError('CANCELLED', 'sign-in cancelled'));
    }
    closing ??= new Promise<void>((res) => {
      server.close(() => res());
      server.closeAllConnections();
    });
    return closing;
  }
  return { redirectUri: `http://127.0.0.1:${port}${path}`, callback, close };
}
