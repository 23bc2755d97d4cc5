import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchContext, RelaisErrorShape } from '../../contract';
import type { RelaisCore } from '../core';
import { startControlServer, type ControlServer } from './control-server';

const URL_OK =
  'relais://patient/open?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=Dupont&firstNames=Marie&birthDate=1995-10-12&sex=F';

/** Records what the control endpoint hands to the core; the core itself is tested elsewhere. */
function recordingCore() {
  const opened: LaunchContext[] = [];
  const rejected: unknown[] = [];
  const core = {
    openPatient: async (ctx: LaunchContext) => {
      opened.push(ctx);
      return { patient: { id: 'p1' }, cached: false };
    },
    launchRejected: (e: unknown) => rejected.push(e),
  } as unknown as RelaisCore;
  return { core, opened, rejected };
}

let server: ControlServer | undefined;
afterEach(async () => server?.close());

async function post(body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${server!.url}/launch`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: RelaisErrorShape } };
}

describe('control endpoint', () => {
  it('forwards a valid launch holding the token', async () => {
    const rec = recordingCore();
    server = await startControlServer(rec.core);
    const r = await post({ url: URL_OK }, { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    expect(rec.opened[0]?.birthName).toBe('DUPONT');
  });

  it('refuses a missing or wrong token', async () => {
    const rec = recordingCore();
    server = await startControlServer(rec.core);
    const r = await post({ url: URL_OK }, { authorization: 'Bearer nope', 'content-type': 'application/json' });
    expect(r.status).toBe(401);
    expect(rec.opened).toHaveLength(0);
  });

  it('refuses browser-originated requests even with the token', async () => {
    const rec = recordingCore();
    server = await startControlServer(rec.core);
    const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    expect((await post({ url: URL_OK }, { ...auth, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ url: URL_OK }, { ...auth, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ url: URL_OK }, { authorization: auth.authorization, 'content-type': 'text/plain' })).status).toBe(403);
    expect(rec.opened).toHaveLength(0);
  });

  it('answers an invalid launch with its typed error and tells the window', async () => {
    const rec = recordingCore();
    server = await startControlServer(rec.core);
    const r = await post({ url: URL_OK.replace('611193', '611194') }, { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });
    expect(r.status).toBe(422);
    expect(r.body.error?.code).toBe('INS_INVALID');
    expect(rec.rejected).toHaveLength(1);
    const garbage = await post('not json at all', { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });
    expect(garbage.body.error?.code).toBe('INVALID_INPUT');
  });
});

describe('control endpoint against hostile requests', () => {
  it('refuses a foreign Host header (DNS rebinding) with 421', async () => {
    const rec = recordingCore();
    server = await startControlServer(rec.core);
    const { request } = await import('node:http');
    const port = Number(new URL(server.url).port);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/launch', method: 'POST', headers: { host: `evil.example:${port}`, authorization: `Bearer ${server!.token}`, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ url: URL_OK }));
    });
    expect(status).toBe(421);
    expect(rec.opened).toHaveLength(0);
  });

  it('answers 413 to an oversized body and keeps serving', async () => {
    const rec = recordingCore();
    server = await startControlServer(rec.core);
    const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const big = await fetch(`${server.url}/launch`, { method: 'POST', headers: auth, body: JSON.stringify({ url: 'x'.repeat(100_000) }) });
    expect(big.status).toBe(413);
    expect(rec.rejected).toHaveLength(0);
    expect((await post({ url: URL_OK }, auth)).status).toBe(200);
  });
});
