/** Integration: the real FHIR adapter against the embedded sandbox platform. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelaisError, type JournalEntry } from '../../../contract';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { BENCH_PATIENT_500, DEMO_GP_ID, DEMO_GP_RPPS } from '../../../sandbox/seed/index';
import { encodeBase64Utf8 } from './mapping';
import { createFhirPlatform } from './index';
import { CDL, RELAIS } from './systems';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  await sandbox?.close();
});

async function collect(it: AsyncIterable<{ entries: JournalEntry[]; total?: number }>): Promise<{ entries: JournalEntry[]; pages: number; total?: number }> {
  const entries: JournalEntry[] = [];
  let pages = 0;
  let total: number | undefined;
  for await (const b of it) {
    entries.push(...b.entries);
    pages++;
    total ??= b.total;
  }
  return { entries, pages, ...(total !== undefined ? { total } : {}) };
}

describe('FHIR platform adapter on the sandbox', () => {
  it('finds a patient by INS, and returns null for an unknown INS', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    const p = await platform.findPatientByIns(BENCH_PATIENT_500.ins as { value: string; oid: '1.2.250.1.213.1.4.10' });
    expect(p?.id).toBe(BENCH_PATIENT_500.id);
    expect(p?.identityStatus).toBe('QUAL');
    expect(p?.firstNames.length).toBeGreaterThan(0);
    expect(await platform.findPatientByIns({ value: '295109912611193', oid: '1.2.250.1.213.1.4.10' })).toBeNull();
  });

  it('getPatient of an unknown id → PATIENT_NOT_FOUND', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    await expect(platform.getPatient('nope')).rejects.toMatchObject({ code: 'PATIENT_NOT_FOUND' });
  });

  it("lists the demo GP's patients (≥ 20) and reads the GP by id and by RPPS", async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    const patients = await platform.listPatientsFollowedBy(DEMO_GP_ID);
    expect(patients.length).toBeGreaterThanOrEqual(20);
    expect(new Set(patients.map((p) => p.id)).size).toBe(patients.length);
    const gp = await platform.findProfessionalByRpps(DEMO_GP_RPPS);
    expect(gp?.id).toBe(DEMO_GP_ID);
    expect(gp?.roleLabel).toBe('Médecin généraliste');
    expect((await platform.getProfessional(DEMO_GP_ID)).rpps).toBe(DEMO_GP_RPPS);
    expect(await platform.findProfessionalByRpps('99700099999')).toBeNull();
  });

  it('fetches the 500-entry journal completely, newest first, with authors and absolute attachment URLs', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    const { entries, pages, total } = await collect(platform.fetchJournal(BENCH_PATIENT_500.id, { pageSize: 120 }));
    expect(entries.length).toBe(500);
    expect(new Set(entries.map((e) => e.id)).size).toBe(500);
    expect(pages).toBe(5);
    expect(total).toBe(500);
    for (let i = 1; i < entries.length; i++) expect(entries[i - 1]!.date >= entries[i]!.date).toBe(true);
    expect(entries.every((e) => e.author.name.length > 0 && e.author.roleLabel.length > 0)).toBe(true);
    const withFile = entries.find((e) => e.attachments.length > 0)!;
    expect(withFile.attachments[0]!.url.startsWith(sandbox.url + '/Binary/')).toBe(true);
    const bin = await platform.fetchAttachment(withFile.attachments[0]!.url);
    expect(bin.contentType).toBe(withFile.attachments[0]!.contentType);
    expect(bin.data.length).toBe(withFile.attachments[0]!.size);
    await expect(platform.fetchAttachment('http://example.com/x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('incremental fetch (since) returns only entries changed after the instant', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    const since = new Date().toISOString();
    expect((await collect(platform.fetchJournal(BENCH_PATIENT_500.id, { since }))).entries).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 5));
    const res = await fetch(`${sandbox.url}/DocumentReference`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'DocumentReference',
        status: 'current',
        extension: [{ url: CDL.isEmergency, valueBoolean: true }],
        type: { coding: [{ system: RELAIS.journalKind, code: 'alert' }] },
        subject: { reference: `Patient/${BENCH_PATIENT_500.id}` },
        author: [{ reference: 'PractitionerRole/role-lamothe' }],
        date: new Date().toISOString(),
        content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: encodeBase64Utf8('Nouvelle alerte') } }],
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('W/"' + ((await res.json()) as { meta: { versionId: string } }).meta.versionId + '"');
    const { entries } = await collect(platform.fetchJournal(BENCH_PATIENT_500.id, { since }));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'alert', urgent: true, text: 'Nouvelle alerte', author: { name: 'Sophie LAMOTHE' } });
    // The new entry is also the newest of the full journal.
    const first = await platform.fetchJournal(BENCH_PATIENT_500.id, { pageSize: 1 })[Symbol.asyncIterator]().next();
    expect(first.value?.entries[0]?.id).toBe(entries[0]!.id);
  });

  it('honours If-Match (412 on a stale version) and If-None-Exist', async () => {
    const url = `${sandbox.url}/DocumentReference/${BENCH_PATIENT_500.id}-j001`;
    const doc = (await (await fetch(url)).json()) as { meta: { versionId: string } };
    const put = (ifMatch: string) =>
      fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/fhir+json', 'If-Match': ifMatch }, body: JSON.stringify(doc) });
    expect((await put(`W/"${doc.meta.versionId}"`)).status).toBe(200);
    expect((await put(`W/"${doc.meta.versionId}"`)).status).toBe(412);
    const body = JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'urn:relais:test', value: 'idem-1' }], name: [{ family: 'TEST' }] });
    const create = () => fetch(`${sandbox.url}/Patient`, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json', 'If-None-Exist': 'identifier=urn:relais:test|idem-1' }, body });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(200);
  });

  it('maps injected 503 to PLATFORM_ERROR and a hung platform to PLATFORM_UNREACHABLE (timeout)', async () => {
    const platform = createFhirPlatform({ baseUrl: sandbox.url, timeoutMs: 300 });
    try {
      sandbox.setFaults({ errorRate: 1 });
      await expect(platform.getPatient(BENCH_PATIENT_500.id)).rejects.toMatchObject({ code: 'PLATFORM_ERROR' });
      sandbox.setFaults({ hang: true });
      await expect(platform.getPatient(BENCH_PATIENT_500.id)).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE' });
    } finally {
      sandbox.setFaults({});
    }
    expect((await platform.getPatient(BENCH_PATIENT_500.id)).id).toBe(BENCH_PATIENT_500.id);
  });

  it('requires the bearer token when the sandbox is configured with one', async () => {
    const secured = await startSandbox({ port: 0, empty: true, accessToken: 't0k' });
    try {
      await expect(createFhirPlatform({ baseUrl: secured.url }).getPatient('x')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(createFhirPlatform({ baseUrl: secured.url, getAccessToken: () => 't0k' }).getPatient('x')).rejects.toMatchObject({ code: 'PATIENT_NOT_FOUND' });
    } finally {
      await secured.close();
    }
  });

  it('server down → PLATFORM_UNREACHABLE', async () => {
    const other = await startSandbox({ port: 0, empty: true });
    const url = other.url;
    await other.close();
    const platform = createFhirPlatform({ baseUrl: url, timeoutMs: 2000 });
    const err = await platform.getPatient('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelaisError);
    expect((err as RelaisError).code).toBe('PLATFORM_UNREACHABLE');
  });
});
