/**
 * Issue 11, item 11: a cross-site page must not be able to write to the sandbox. Checked on the
 * demo platform (no token required, the worst case): the requests a browser sends without a
 * preflight are refused, and no answer carries CORS headers that would let a page read or send more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server';
import { refusedContentType } from './content-type';

const entry = (text: string) => ({
  resourceType: 'DocumentReference',
  status: 'current',
  subject: { reference: 'Patient/pat-bench-500' },
  content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(text).toString('base64') } }],
});

describe('content types of writes and CORS headers (demo sandbox, no token)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const countOf = async (marker: string): Promise<number> => {
    const page = (await (await fetch(`${sandbox.url}/DocumentReference?subject=Patient/pat-bench-500&_count=1000`)).json()) as { entry?: { resource: unknown }[] };
    return (page.entry ?? []).filter((e) => JSON.stringify(e.resource).includes(Buffer.from(marker).toString('base64'))).length;
  };

  it('a text/plain, form or untyped POST (a CORS simple request) is answered 415 and creates no journal entry', async () => {
    for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
      const marker = `cross-site ${contentType}`;
      const body = JSON.stringify(entry(marker));
      const res = await fetch(`${sandbox.url}/DocumentReference`, {
        method: 'POST',
        ...(contentType ? { headers: { 'Content-Type': contentType }, body } : { body: new Blob([body]) }),
      });
      expect(res.status, String(contentType)).toBe(415);
      expect(await res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });
      expect(await countOf(marker), String(contentType)).toBe(0);
    }
    // Nor through the Binary upload or a PUT.
    expect((await fetch(`${sandbox.url}/Binary`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '<script>' })).status).toBe(415);
    expect((await fetch(`${sandbox.url}/Patient/pat-bench-500`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
  });

  it('FHIR JSON and raw attachment bytes are still accepted', async () => {
    const ok = await fetch(`${sandbox.url}/DocumentReference`, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(entry('same-site')) });
    expect(ok.status).toBe(201);
    expect((await fetch(`${sandbox.url}/Binary`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array([137, 80, 78, 71]) })).status).toBe(201);
    expect(refusedContentType('POST', 'Patient', 'application/json; charset=utf-8')).toBeNull();
    expect(refusedContentType('PATCH', 'Patient/x', 'application/json-patch+json')).toBeNull();
    expect(refusedContentType('GET', 'Patient', '')).toBeNull();
  });

  it('no CORS header: no wildcard, no credentials, a preflight is not approved', async () => {
    const origin = { Origin: 'https://evil.example' };
    const answers = [
      await fetch(`${sandbox.url}/Patient?_count=1`, { headers: origin }),
      await fetch(`${sandbox.url}/DocumentReference`, { method: 'POST', headers: { ...origin, 'Content-Type': 'text/plain' }, body: '{}' }),
      await fetch(`${sandbox.url}/DocumentReference`, {
        method: 'OPTIONS',
        headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      }),
    ];
    for (const res of answers) {
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    }
    expect(answers[2]!.ok).toBe(false);
  });
});
