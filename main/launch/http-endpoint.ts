import { randomBytes } from 'node:crypto';
import { secretsEqual } from '../instance/token';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RelaisError, type ErrorCode, type LaunchContext } from '../../contract';
import { toErrorShape } from '../errors';
import { createGuardedServer, hostAllowed, requestUrl } from '../util/http-guard';
import { launchContextFromQuery } from './url';

/** Configuration of the loopback launch endpoint: off unless the practice turns it on. */
export interface LaunchEndpointConfig {
  enabled: boolean;
  port: number;
  /** Per-install secret the practice software sends in a header (X-Relais-Key or Authorization: Bearer). */
  secret?: string;
}

export const DEFAULT_LAUNCH_ENDPOINT_CONFIG: LaunchEndpointConfig = { enabled: false, port: 8791 };

export const LAUNCH_ENDPOINT_PATH = '/relais/patient/open';
const MIN_SECRET_LENGTH = 16;
const MAX_REQUEST_TARGET = 4096;

/** A new per-install secret: 32 random bytes, base64url (43 characters, URL-safe). */
export function newInstallSecret(): string {
  return randomBytes(32).toString('base64url');
}

export { secretsEqual } from '../instance/token';

export interface LaunchHttpEndpointOptions {
  /** 0 picks a free port (tests). */
  port: number;
  secret: string;
  /** Opens the patient; a rejection is reported to the caller (RelaisError code, else INTERNAL). */
  onContext(context: LaunchContext): Promise<void>;
  /** An authenticated launch whose content is invalid (to show in the window, like other channels). */
  onError?(error: RelaisError): void;
}

export interface LaunchHttpEndpoint {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Why a request looks like it came from a web browser (a web page must never open a patient).
 * Browsers send Origin on cross-origin requests and Sec-Fetch-Site on every request (Chromium,
 * Firefox, Safari 16.4+); Sec-Fetch-Dest/-User come with navigations and subresources. Node's own
 * fetch sends only `sec-fetch-mode: cors`, so that header alone is not held against a caller.
 */
export function browserSignal(headers: IncomingMessage['headers']): string | null {
  if (headers.origin !== undefined) return 'origin';
  if (headers['sec-fetch-site'] !== undefined) return 'sec-fetch-site';
  if (headers['sec-fetch-dest'] !== undefined) return 'sec-fetch-dest';
  if (headers['sec-fetch-user'] !== undefined) return 'sec-fetch-user';
  const mode = headers['sec-fetch-mode'];
  if (mode !== undefined && mode !== 'cors') return 'sec-fetch-mode';
  return null;
}

/**
 * The secret from X-Relais-Key or Authorization: Bearer; undefined when absent. Both headers
 * sent and different: undefined too (no guessing which one the caller meant).
 */
function headerSecret(headers: IncomingMessage['headers']): string | undefined {
  const key = headers['x-relais-key'];
  const fromKey = typeof key === 'string' ? key : undefined;
  const bearer = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
  if (fromKey !== undefined && bearer !== undefined && fromKey !== bearer) return undefined;
  return fromKey ?? bearer;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INTERNAL: 500,
  PLATFORM_UNREACHABLE: 503,
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

function replyError(res: ServerResponse, status: number, code: ErrorCode, message: string, field?: string): void {
  reply(res, status, { ok: false, error: field === undefined ? { code, message } : { code, message, field } });
}

/**
 * Loopback endpoint for practice software that can only call a URL:
 * GET http://127.0.0.1:PORT/relais/patient/open?<relais:// query> with the secret in X-Relais-Key
 * (or Authorization: Bearer). Never in the query: URLs end up in logs, histories and Referer.
 * Listens on 127.0.0.1 only; refuses browser requests (403), a missing or wrong secret (401), an
 * invalid launch (422, same codes as the relais:// URL).
 */
export async function startLaunchHttpEndpoint(options: LaunchHttpEndpointOptions): Promise<LaunchHttpEndpoint> {
  const { secret, onContext, onError } = options;
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new RelaisError('INVALID_INPUT', `launch endpoint secret must have at least ${MIN_SECRET_LENGTH} characters`, 'secret');
  }
  let port = options.port;

  const server = createGuardedServer((req, res) => handle(req, res), {
    onUnexpected: (_error, res) => replyError(res, 500, 'INTERNAL', 'unexpected error'),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signal = browserSignal(req.headers);
    if (signal) return replyError(res, 403, 'FORBIDDEN', `browser requests are refused (${signal})`);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends Host: evil.example.
    if (!hostAllowed(req.headers.host, port)) {
      return replyError(res, 403, 'FORBIDDEN', 'unexpected Host header');
    }
    const target = req.url ?? '';
    if (target.length > MAX_REQUEST_TARGET) return replyError(res, 422, 'LAUNCH_URL_MALFORMED', 'request too long');
    const url = requestUrl(req, `http://127.0.0.1:${port}`);
    // A key= parameter is refused even when right: the secret must not live in URLs (logs, history).
    if (url.searchParams.has('key')) {
      return replyError(res, 401, 'UNAUTHENTICATED', 'send the secret in the X-Relais-Key header, never in the URL');
    }
    if (!secretsEqual(secret, headerSecret(req.headers))) {
      return replyError(res, 401, 'UNAUTHENTICATED', 'missing or wrong X-Relais-Key');
    }
    if (url.pathname.replace(/\/+$/, '') !== LAUNCH_ENDPOINT_PATH) {
      return replyError(res, 404, 'INVALID_INPUT', `unknown path; use ${LAUNCH_ENDPOINT_PATH}`);
    }
    if (req.method !== 'GET') return replyError(res, 405, 'INVALID_INPUT', 'use GET');
    let context: LaunchContext;
    try {
      context = launchContextFromQuery(url.searchParams);
    } catch (error) {
      const e = error instanceof RelaisError ? error : new RelaisError('INVALID_INPUT', 'invalid launch');
      onError?.(e);
      return replyError(res, 422, e.code, e.message, e.field);
    }
    try {
      await onContext(context);
    } catch (error) {
      const shape = toErrorShape(error);
      return replyError(res, STATUS[shape.code] ?? 422, shape.code, shape.message, shape.field);
    }
    reply(res, 200, { ok: true });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
