/**
 * The sandbox's HTTP input and output, as a real FHIR server's front does it: bounded (and
 * optionally gzip) request bodies, gzip answers, weak ETags on searches with 304, links on the
 * base the client reached.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { constants as zlibConstants, gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const MAX_BODY = 20 * 1024 * 1024;

export function outcome(code: OperationOutcome['issue'][number]['code'], diagnostics: string, id = 'error'): OperationOutcome {
  return { resourceType: 'OperationOutcome', id, issue: [{ severity: 'error', code, details: { text: diagnostics }, diagnostics }] };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': FHIR_JSON, 'Content-Length': String(data.length), ...headers });
  res.end(data);
}

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);
/** Below this size a compressed answer saves less than it costs (one TCP segment). */
const GZIP_MIN_BYTES = 1400;

/**
 * The base URL the client reached: a proxy in front (the WAN simulator of the tests) keeps the
 * client's Host, and a real server behind a reverse proxy answers links on the public base. Only
 * loopback hosts are believed (the sandbox listens on 127.0.0.1 only).
 */
export function publicBase(req: IncomingMessage, internal: string): string {
  const host = String(req.headers.host ?? '');
  if (!/^(127\.0\.0\.1|localhost):\d{1,5}$/.test(host)) return internal;
  const u = new URL(internal);
  return host === u.host ? internal : `${u.protocol}//${host}${u.pathname}`;
}

/**
 * A search answer's validator, like a real server's: a weak ETag hashing the body as sent (links
 * on the client's base), so an unchanged result answers `If-None-Match` with 304 and no body.
 */
function searchEtag(data: Buffer): string {
  return `W/"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`;
}

/** RFC 9110 §13.1.2: weak comparison; `*` matches any current representation. */
function noneMatch(req: IncomingMessage, etag: string): boolean {
  const header = String(req.headers['if-none-match'] ?? '');
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/**
 * Like a real FHIR server behind its reverse proxy: answers gzip when the client accepts it.
 * Level 1 is nginx's default `gzip_comp_level`: most of the gain for a fraction of the CPU.
 */
export async function sendFhirJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  base?: { internal: string; public: string },
  validator = false,
): Promise<void> {
  let text = JSON.stringify(body);
  // Paging links and fullUrls on the base the client used (see publicBase).
  if (base && base.public !== base.internal) text = text.split(base.internal).join(base.public);
  const data = Buffer.from(text, 'utf8');
  if (validator && status === 200) {
    const etag = searchEtag(data);
    headers = { ...headers, ETag: etag };
    if (noneMatch(req, etag)) {
      res.writeHead(304, { ETag: etag, Vary: 'Accept-Encoding' });
      res.end();
      return;
    }
  }
  const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (!accepts || data.length < GZIP_MIN_BYTES) {
    res.writeHead(status, { 'Content-Type': FHIR_JSON, 'Content-Length': String(data.length), Vary: 'Accept-Encoding', ...headers });
    res.end(data);
    return;
  }
  const packed = await gzip(data, { level: zlibConstants.Z_BEST_SPEED });
  res.writeHead(status, { 'Content-Type': FHIR_JSON, 'Content-Encoding': 'gzip', 'Content-Length': String(packed.length), Vary: 'Accept-Encoding', ...headers });
  res.end(packed);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const raw = await readRawBody(req);
  // Clients may compress large writes (Content-Encoding: gzip); the size cap holds after inflating.
  if (/\bgzip\b/.test(String(req.headers['content-encoding'] ?? ''))) {
    const inflated = await gunzip(raw, { maxOutputLength: MAX_BODY });
    return inflated;
  }
  return raw;
}

async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new Error('Request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function resourceHeaders(resource: Resource | undefined): Record<string, string> {
  const h: Record<string, string> = {};
  if (resource?.meta?.versionId) h.ETag = `W/"${resource.meta.versionId}"`;
  if (resource?.meta?.lastUpdated) h['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  return h;
}
