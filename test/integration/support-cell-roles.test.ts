/**
 * Issue 13, roles, end to end on the card-authenticated sandbox (platform policy on): the secretary
 * sends the support cell request only on a GP's behalf and never with medical details, never
 * produces the emergency fiche nor reads the reconciliation; the nurse asks the cell herself. The
 * requests reach the platform (the sandbox's policy lets support.request through) and every call
 * is audited.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem, Patient, SupportRequestContext } from '../../contract';
import { createApiDispatcher } from '../../main/api/dispatch';
import { CardSession } from '../../main/auth/card-session';
import { composeCore, type Composition } from '../../main/compose';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { testPki, type IssuedCertificate } from '../fixtures/pki/pki';

const PIN = '4826';
type Call = (method: string, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; field?: string } }>;

describe('support cell and hospital stays by role (card sign-in, platform policy on)', () => {
  let sandbox: Sandbox;
  const comps: Composition[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1, cardAuth: { trustedRootsPem: [testPki().root.certificatePem], tokenTtlSeconds: 600 } });
  });
  afterAll(async () => {
    for (const c of comps) await c.close();
    await sandbox?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const signIn = async (cert: IssuedCertificate): Promise<{ comp: Composition; call: Call }> => {
    const reader = new FakeCardReader({ label: 'CARTE', serial: String(cert.certificatePem.length), certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, pin: PIN });
    const session = await CardSession.open({ reader, platformUrl: sandbox.url, authUrl: sandbox.authUrl });
    await session.signIn(PIN);
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-i13-roles-'));
    dirs.push(dataDir);
    const comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: 'from-the-card', demo: false, card: session, encrypt: true, secretStore: new MemorySecretStore(), outboxBackoff: { baseMs: 20, capMs: 200 } });
    comp.core.outbox.start();
    comps.push(comp);
    const dispatch = createApiDispatcher(comp.core, () => undefined);
    return { comp, call: (m, p) => dispatch(m, p) as never };
  };
  const open = async (call: Call): Promise<Patient> => {
    const list = (await call('patient.list', {})).value as Patient[];
    const p = list.find((x) => x.id.startsWith('pat-') && x.ins)!;
    expect(await call('patient.open', { ins: p.ins, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex })).toMatchObject({ ok: true });
    return p;
  };
  const base = { reason: 'isolation', asks: ['phone-follow-up'], consent: true };

  it('the secretary: on a GP’s behalf only, never medical details, never the fiche nor the reconciliation', async () => {
    const { comp, call } = await signIn(testPki().secretary);
    const p = await open(call);
    expect(await call('supportRequest.create', { patientId: p.id, ...base, medicalDetails: 'Chutes répétées' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('supportRequest.create', { patientId: p.id, ...base })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'onBehalfOf' } });
    const ctx = (await call('supportRequest.context', { patientId: p.id })).value as SupportRequestContext;
    expect(ctx.cell?.name).toContain('DAC');
    expect(ctx.treatments).toBe(0); // the platform gives her no treatment
    const gp = ctx.physicians[0]!;
    const sent = await call('supportRequest.create', { patientId: p.id, ...base, onBehalfOf: gp.id });
    expect(sent.ok).toBe(true);
    await expect.poll(() => comp.core.outbox.get((sent.value as OutboxItem).id)?.status, { timeout: 20_000 }).toBe('sent');
    const list = (await call('supportRequest.list', { patientId: p.id })).value as { requests: { onBehalfOf: string | null; requester: { name: string } | null }[] };
    expect(list.requests[0]).toMatchObject({ onBehalfOf: expect.stringContaining(gp.name.replace(/^Dr /, '')) });
    expect(await call('stay.emergencyFiche', { patientId: p.id, establishmentId: 'org-ch-saint-sever' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('stay.discharges', { patientId: p.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const audit = (await call('audit.list', {})).value as { action: string; detail: string | null }[];
    expect(audit.filter((a) => a.action === 'supportRequest.create').map((a) => JSON.parse(a.detail!) as { onBehalfOf?: string })).toEqual([
      expect.objectContaining({ onBehalfOf: `PractitionerRole/${gp.id}` }),
    ]);
    expect(audit.filter((a) => a.action === 'permission.denied').length).toBe(3);
  });

  it('the nurse asks the cell herself, with medical details', async () => {
    const { comp, call } = await signIn(testPki().nurse);
    const p = await open(call);
    const sent = await call('supportRequest.create', { patientId: p.id, ...base, medicalDetails: 'Plaie qui ne cicatrise pas, patiente seule.' });
    expect(sent.ok).toBe(true);
    await expect.poll(() => comp.core.outbox.get((sent.value as OutboxItem).id)?.status, { timeout: 20_000 }).toBe('sent');
  });
});
