import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { contextOf } from '../../test/support/app-fixture';
import { createApiDispatcher } from '../api/dispatch';
import { composeCore, type Composition } from '../compose';
import { DEMO_GP_RPPS } from '../config/demo-identity';
import { createFhirPlatform } from '../platform/fhir/index';
import { hostComposition, startWebHost, type WebHost } from './web-host';

/**
 * The web host's /media against the real sandbox (issue 11, items 1, 2, 4 and 11 « token in
 * /media URLs »): what a page, another local page, or a hostile author can get through it.
 */
const HOSTILE_HTML = '<!doctype html><script>window.top.hostileRan = true</script><p>facture</p>';

let sandbox: Sandbox;
let comp: Composition;
let web: WebHost;
let dataDir: string;
let patient: Patient;
let photoUrl: string;
let hostileUrl: string;
let cookie: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'relais-media-'));
  comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true });
  web = await startWebHost({ app: hostComposition({ core: comp.core, dispatch: createApiDispatcher(comp.core) }), rendererDir: dataDir, port: 0 });
  const writer = createFhirPlatform({ baseUrl: sandbox.url });
  patient = await writer.getPatient(BENCH_PATIENT_500.id);
  await comp.core.openPatient(contextOf(patient), 'test');
  // Another professional's entry whose attachment is HTML that would run a script.
  const html = new TextEncoder().encode(HOSTILE_HTML);
  const bin = await writer.createBinary({ clientId: randomUUID(), contentType: 'text/html', data: html });
  await writer.createJournalEntry({
    clientId: randomUUID(),
    patientId: patient.id,
    authorId: comp.core.professional.id,
    kind: 'document',
    text: 'Facture',
    date: new Date().toISOString(),
    attachments: [{ contentType: 'image/png', title: 'facture.png', url: bin.url, size: html.byteLength }],
  });
  // The first sync may join the open's back-fill (started before this entry): the second one
  // is incremental and brings it.
  await comp.core.journal.sync(patient.id);
  await comp.core.journal.sync(patient.id);
  const entries = comp.store.page(patient.id, undefined, 600).entries;
  photoUrl = entries.flatMap((e) => e.attachments).find((a) => a.contentType === 'image/png' && a.url.includes('bin-photo'))!.url;
  hostileUrl = entries.flatMap((e) => e.attachments).find((a) => a.url.endsWith(bin.url))!.url;
  const session = await fetch(`${web.origin}/media/session`, { headers: { authorization: `Bearer ${web.token}` } });
  cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
}, 120_000);

afterAll(async () => {
  await web?.close();
  await comp?.close();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const media = (src: string, headers: Record<string, string> = { cookie }) => fetch(`${web.origin}/media?src=${encodeURIComponent(src)}`, { headers });

describe('/media on the web host', () => {
  it('the page trades its token for an HttpOnly, SameSite=Strict cookie scoped to /media that is not the token', async () => {
    expect((await fetch(`${web.origin}/media/session`)).status).toBe(401);
    expect((await fetch(`${web.origin}/media/session`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const res = await fetch(`${web.origin}/media/session`, { headers: { authorization: `Bearer ${web.token}` } });
    expect(res.status).toBe(204);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/media/);
    expect(setCookie).not.toContain(web.token);
  });

  it('the API token in the URL no longer opens /media (it would sit in history, Referer and logs)', async () => {
    const res = await fetch(`${web.origin}/media?src=${encodeURIComponent(photoUrl)}&token=${encodeURIComponent(web.token)}`);
    expect(res.status).toBe(401);
  });

  it('serves a seeded wound photo as the PNG it is, sandboxed and nosniff', async () => {
    const res = await media(photoUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe('inline');
    expect(comp.store.auditTrail().some((r) => r.action === 'attachment.open' && r.patientId === patient.id && r.detail === photoUrl.split('/').pop())).toBe(true);
  });

  it('an HTML attachment labelled image/png goes out as an opaque download, never as HTML', async () => {
    const res = await media(hostileUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(HOSTILE_HTML);
  });

  it('refuses any other FHIR resource of the platform: /media?src=<platform>/Patient?_count=5', async () => {
    const res = await media(`${sandbox.url}/Patient?_count=5`);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('Bundle');
    expect((await media(`${sandbox.url}/Binary/bin-photo-1?_format=json`)).status).toBe(403);
    expect((await media('http://example.com/Binary/x')).status).toBe(403);
  });

  it('refuses a Binary that no journal entry of this store lists', async () => {
    const other = await createFhirPlatform({ baseUrl: sandbox.url }).createBinary({ clientId: randomUUID(), contentType: 'image/png', data: new Uint8Array([0x89, 0x50]) });
    expect((await media(`${sandbox.url}/${other.url}`)).status).toBe(403);
  });

  it('refuses a request another site made (a page on another 127.0.0.1 port is « same-site »)', async () => {
    expect((await media(photoUrl, { cookie, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await media(photoUrl, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await media(photoUrl, { cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('refuses while the session is locked, like the API', async () => {
    comp.core.lockSession('manual');
    try {
      expect((await media(photoUrl)).status).toBe(401);
    } finally {
      await comp.core.lock.unlock('1234');
    }
    expect((await media(photoUrl)).status).toBe(200);
  });
});
