import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelaisError, type LaunchContext } from '../../contract';
import {
  DEFAULT_LAUNCH_ENDPOINT_CONFIG,
  LAUNCH_ENDPOINT_PATH,
  newInstallSecret,
  secretsEqual,
  startLaunchHttpEndpoint,
  type LaunchHttpEndpoint,
} from './http-endpoint';

const QUERY =
  'ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie,Louise&birthDate=1995-10-12&sex=F&birthPlace=40192';

describe('loopback launch endpoint', () => {
  let endpoint: LaunchHttpEndpoint;
  let secret: string;
  let opened: LaunchContext[];
  let rejected: RelaisError[];

  beforeEach(async () => {
    secret = newInstallSecret();
    opened = [];
    rejected = [];
    endpoint = await startLaunchHttpEndpoint({
      port: 0,
      secret,
      onContext: async (ctx) => {
        if (ctx.birthName === 'INCONNU') throw new RelaisError('PATIENT_NOT_FOUND', 'no such patient');
        opened.push(ctx);
      },
      onError: (e) => rejected.push(e),
    });
  });
  afterEach(() => endpoint.close());

  const open = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${endpoint.url}${LAUNCH_ENDPOINT_PATH}?${query}`, { headers });

  /** node:http, because fetch rewrites Sec-Fetch-Mode to "cors" whatever the caller sets. */
  const raw = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: endpoint.port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('is off by default, on port 8791, and generates long URL-safe secrets', () => {
    expect(DEFAULT_LAUNCH_ENDPOINT_CONFIG).toEqual({ enabled: false, port: 8791 });
    expect(newInstallSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newInstallSecret()).not.toBe(newInstallSecret());
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('abc', undefined)).toBe(false);
  });

  it('opens the patient with the secret in X-Relais-Key or in Authorization: Bearer', async () => {
    const r1 = await open(QUERY, { 'X-Relais-Key': secret });
    expect(r1.status).toBe(200);
    expect(await r1.json()).toEqual({ ok: true });
    const r2 = await open(QUERY, { Authorization: `Bearer ${secret}` });
    expect(r2.status).toBe(200);
    expect(opened.map((c) => c.birthName)).toEqual(['DUPONT', 'DUPONT']);
    expect(opened[0]!.firstNames).toEqual(['Marie', 'Louise']);
  });

  it('refuses the secret in the query string, even when it is right (URLs end up in logs)', async () => {
    const r = await open(`${QUERY}&key=${encodeURIComponent(secret)}`);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // Right header too: still refused, so that a vendor never ships the key= form.
    expect((await open(`${QUERY}&key=${encodeURIComponent(secret)}`, { 'X-Relais-Key': secret })).status).toBe(401);
    expect(opened).toEqual([]);
  });

  it('refuses a missing or wrong secret with 401 and opens nothing', async () => {
    for (const r of [
      await open(QUERY),
      await open(QUERY, { 'X-Relais-Key': 'x'.repeat(43) }),
      await open(QUERY, { Authorization: `Bearer ${'x'.repeat(43)}` }),
      await open(QUERY, { Authorization: `Basic ${secret}` }),
    ]) {
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    // Two headers that disagree: refused, whichever is right.
    expect((await open(QUERY, { 'X-Relais-Key': secret, Authorization: 'Bearer nope' })).status).toBe(401);
    expect(opened).toEqual([]);
    expect(rejected).toEqual([]);
  });

  it('refuses browser-like requests with 403 even with the right secret', async () => {
    const browserHeaders: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-User': '?1' },
      { 'Sec-Fetch-Mode': 'navigate' },
      { 'Sec-Fetch-Mode': 'no-cors' },
      { 'Sec-Fetch-Dest': 'image' },
    ];
    for (const h of browserHeaders) {
      const r = await raw(`${LAUNCH_ENDPOINT_PATH}?${QUERY}`, { ...h, 'X-Relais-Key': secret });
      expect(r.status, JSON.stringify(h)).toBe(403);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(opened).toEqual([]);
    // What Node's fetch sends (sec-fetch-mode: cors, no Origin, no Sec-Fetch-Site) is accepted, as is a bare client (curl).
    expect((await raw(`${LAUNCH_ENDPOINT_PATH}?${QUERY}`, { 'sec-fetch-mode': 'cors', 'X-Relais-Key': secret })).status).toBe(200);
    expect((await raw(`${LAUNCH_ENDPOINT_PATH}?${QUERY}`, { 'user-agent': 'curl/8.5.0', 'X-Relais-Key': secret })).status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await raw(`${LAUNCH_ENDPOINT_PATH}?${QUERY}`, { host: 'evil.example', 'x-relais-key': secret });
    expect(r.status).toBe(403);
    expect(opened).toEqual([]);
  });

  it('answers 422 with the typed error for an invalid launch, and reports it', async () => {
    const r = await open(QUERY.replace('611193', '611194'), { 'X-Relais-Key': secret });
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ ok: false, error: { code: 'INS_INVALID', message: 'INS key does not match', field: 'ins' } });
    const twice = await open(`${QUERY}&ins=253072B07300470`, { 'X-Relais-Key': secret });
    expect(await twice.json()).toMatchObject({ ok: false, error: { code: 'LAUNCH_URL_MALFORMED', field: 'ins' } });
    expect(rejected.map((e) => e.code)).toEqual(['INS_INVALID', 'LAUNCH_URL_MALFORMED']);
    const unknown = await open(QUERY.replace('Dupont', 'Inconnu'), { 'X-Relais-Key': secret });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'PATIENT_NOT_FOUND' } });
    const wrongPath = await fetch(`${endpoint.url}/relais/patient/delete?${QUERY}`, { headers: { 'X-Relais-Key': secret } });
    expect(wrongPath.status).toBe(404);
    const post = await fetch(`${endpoint.url}${LAUNCH_ENDPOINT_PATH}?${QUERY}`, { method: 'POST', headers: { 'X-Relais-Key': secret } });
    expect(post.status).toBe(405);
    expect(opened).toEqual([]);
  });

  it('binds to 127.0.0.1 only', async () => {
    expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      await expect(fetch(`http://${external.address}:${endpoint.port}${LAUNCH_ENDPOINT_PATH}`)).rejects.toThrow();
    }
    // Not on the IPv6 loopback either (a distinct socket from 127.0.0.1).
    await expect(fetch(`http://[::1]:${endpoint.port}${LAUNCH_ENDPOINT_PATH}`)).rejects.toThrow();
  });

  it('refuses a short secret at start', async () => {
    await expect(startLaunchHttpEndpoint({ port: 0, secret: 'short', onContext: async () => {} })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
