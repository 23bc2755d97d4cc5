import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * One guard for every HTTP server of the app (web host, control endpoint, launch endpoint).
 * A local web page can reach any loopback port, so a request must never be able to bring the
 * process down: every handler runs inside a catch, malformed requests get a 4xx and a closed
 * socket, and sizes are bounded before anything is parsed or buffered.
 */

/** A request we refuse on purpose, with the status to answer (never with the details of a bug). */
export class HttpRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpRequestError';
  }
}

/** Request line + headers; Node's default is 16 KiB, we need far less (no cookies, short URLs). */
export const MAX_HEADER_BYTES = 16 * 1024;
/** Slowloris: a request must finish its headers, and its whole body, within these delays. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  421: 'Misdirected Request',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** The only Host values a loopback server answers: anything else is DNS rebinding or a proxy. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  const h = (host ?? '').toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** Decodes a URL path; malformed percent-encoding and NUL are a 400, not an exception. */
export function decodePath(path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new HttpRequestError(400, 'malformed percent-encoding');
  }
  if (decoded.includes('\0')) throw new HttpRequestError(400, 'NUL in path');
  return decoded;
}

/** Parses the request target against our own origin; `//`, `http://[` and the like are a 400. */
export function requestUrl(req: IncomingMessage, base: string): URL {
  try {
    return new URL(req.url ?? '/', base);
  } catch {
    throw new HttpRequestError(400, 'malformed request target');
  }
}

/** Reads a body of at most `limit` bytes: a declared or actual overflow is a 413, before buffering it. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new HttpRequestError(413, 'body too large'));
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(new HttpRequestError(413, 'body too large'));
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => reject(new HttpRequestError(400, 'request aborted')));
  });
}

/** Answers a bare status without a body or details, and closes the connection. */
export function refuse(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': '0', connection: 'close' }).end();
}

/** Refuses on a raw socket (upgrade requests, client errors): a status line, then close. */
export function refuseSocket(socket: Duplex, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, () => socket.destroy());
}

export type GuardedHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface GuardOptions {
  /** Answer for a failure that is not an HttpRequestError (the server's own bug). */
  onUnexpected?(error: unknown, res: ServerResponse): void;
  /** Extra headers on the guard's own refusals (e.g. the web host's security headers). */
  headers?: Record<string, string>;
}

/** Wraps a request handler so that nothing it throws or rejects escapes to the process. */
export function guardHandler(handler: GuardedHandler, options: GuardOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const fail = (error: unknown, res: ServerResponse) => {
    if (error instanceof HttpRequestError) return refuse(res, error.status, options.headers);
    if (options.onUnexpected && !res.headersSent) {
      try {
        options.onUnexpected(error, res);
        return;
      } catch {
        // The fallback below still answers.
      }
    }
    console.error(`relais: HTTP handler failed: ${error instanceof Error ? error.message : String(error)}`);
    refuse(res, 500, options.headers);
  };
  return (req, res) => {
    try {
      Promise.resolve(handler(req, res)).catch((error: unknown) => fail(error, res));
    } catch (error) {
      fail(error, res);
    }
  };
}

/**
 * A node:http server with the guard on: bounded header size and delays, and a clientError
 * handler that answers 400/408/431 and closes (parse errors, TLS bytes, HTTP/0.9 garbage).
 */
export function createGuardedServer(handler: GuardedHandler, options: GuardOptions = {}): Server {
  const server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    guardHandler(handler, options),
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    refuseSocket(socket, status);
  });
  return server;
}
