import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedServer, decodePath, hostAllowed, HttpRequestError, readBody } from './http-guard';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handler: Parameters<typeof createGuardedServer>[0]): Promise<string> {
  server = createGuardedServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('http guard', () => {
  it('answers 500 without details when a handler throws or rejects, and keeps serving', async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n += 1;
      if (n === 1) throw new Error('secret detail');
      if (n === 2) return Promise.reject(new Error('secret detail'));
      res.end('ok');
    });
    for (const expected of [500, 500]) {
      const r = await fetch(url);
      expect(r.status).toBe(expected);
      expect(await r.text()).not.toContain('secret');
    }
    expect(await (await fetch(url)).text()).toBe('ok');
  });

  it('answers the status of an HttpRequestError (a refusal, not a bug)', async () => {
    const url = await serve(() => {
      throw new HttpRequestError(400, 'bad');
    });
    expect((await fetch(url)).status).toBe(400);
  });

  it('bounds a body: 413 on a declared or actual overflow', async () => {
    const url = await serve(async (req, res) => {
      res.end(await readBody(req, 10));
    });
    expect(await (await fetch(url, { method: 'POST', body: 'short' })).text()).toBe('short');
    expect((await fetch(url, { method: 'POST', body: 'x'.repeat(1000) })).status).toBe(413);
  });

  it('decodes paths, refusing malformed percent-encoding and NUL as a 400', () => {
    expect(decodePath('/a%20b')).toBe('/a b');
    for (const bad of ['/%E0%A4%A', '/%', '/a%00b']) {
      expect(() => decodePath(bad)).toThrow(expect.objectContaining({ status: 400 }) as Error);
    }
  });

  it('allows only the loopback names of its own port as Host', () => {
    expect(hostAllowed('127.0.0.1:8790', 8790)).toBe(true);
    expect(hostAllowed('LOCALHOST:8790', 8790)).toBe(true);
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:8791', 'evil.example:8790', 'localhost.evil.example:8790', '[::1]:8790']) {
      expect(hostAllowed(h, 8790), String(h)).toBe(false);
    }
  });
});
