import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus, LaunchContext, Patient, RelaisEvent, Result } from '../../contract';
import { FakeCardReader, type FakeToken } from '../../native-bridges/card/fake-reader';
import { DEMO_GP_RPPS } from '../config/demo-identity';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DEMO_GP_CARD, SECRETARY, testPki } from '../../test/fixtures/pki/pki';
import { SessionHost } from './session-host';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';

let secured: Sandbox;
let open: Sandbox;
const dirs: string[] = [];
const hosts: SessionHost[] = [];

beforeAll(async () => {
  secured = await startSandbox({ port: 0, seed: 1, cardAuth: { trustedRootsPem: [testPki().root.certificatePem] } });
  open = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  await secured.close();
  await open.close();
});
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const gpToken = (): FakeToken => ({ label: 'CPS DUFAU', serial: 'GP-0001', certificatePem: testPki().gp.certificatePem, privateKeyPem: testPki().gp.privateKeyPem, pin: '1234' });
const secretaryToken = (): FakeToken => ({
  label: 'CPE LABEYRIE',
  serial: 'SEC-0001',
  certificatePem: testPki().secretary.certificatePem,
  privateKeyPem: testPki().secretary.privateKeyPem,
  pin: '5678',
});

function newHost(sandbox: Sandbox, options: { reader?: FakeCardReader; demoRpps?: string | null } = {}): { host: SessionHost; events: RelaisEvent[] } {
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-session-host-'));
  dirs.push(dataDir);
  const host = new SessionHost({
    compose: { platformUrl: sandbox.url, dataDir, encrypt: true, secretStore: new MemorySecretStore() },
    cardReader: options.reader ?? null,
    cardPollMs: 50,
    demoRpps: options.demoRpps ?? null,
  });
  hosts.push(host);
  const events: RelaisEvent[] = [];
  host.events.subscribe((e) => events.push(e));
  return { host, events };
}

async function call<T = unknown>(host: SessionHost, method: string, payload: unknown = {}): Promise<Result<T>> {
  return (await host.dispatch(method, payload)) as Result<T>;
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function contextOf(p: Patient): LaunchContext {
  return { ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex };
}

describe('SessionHost: nobody is signed in until a card (or the demo identity) says who', () => {
  it('refuses patient calls before sign-in, shows the card holder, holds a launch and opens it after the PIN', async () => {
    const reader = new FakeCardReader(gpToken());
    const { host, events } = newHost(secured, { reader });
    await host.start();

    const status = host.status();
    expect(status.signedIn).toBe(false);
    expect(status.card).toMatchObject({ present: true, holder: { kind: 'CPS', idNatPs: DEMO_GP_CARD.idNatPs } });
    expect(status.demoAllowed).toBe(false);
    const refused = await call(host, 'patient.list');
    expect(refused.ok ? null : refused.error.code).toBe('UNAUTHENTICATED');

    // A launch from the practice software before anyone signed in: held, never opened for nobody.
    const patients = await publicPatients();
    await expect(host.openPatient(contextOf(patients[0]!), 'cli')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(host.status().pendingLaunch).toBe(true);

    const wrong = await call<AuthStatus>(host, 'auth.signInCard', { pin: '0000' });
    expect(wrong.ok ? null : wrong.error).toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 2 });
    expect(host.status().signedIn).toBe(false);

    const ok = await call<AuthStatus>(host, 'auth.signInCard', { pin: '1234' });
    expect(ok.ok && ok.value.professional?.rpps).toBe(DEMO_GP_CARD.rpps);
    expect(ok.ok && ok.value.method).toBe('card');
    await until(() => events.some((e) => e.type === 'patient-changed'), 'the held launch to open');
    const opened = events.find((e) => e.type === 'patient-changed') as Extract<RelaisEvent, { type: 'patient-changed' }>;
    expect(opened.patient.id).toBe(patients[0]!.id);
    const session = await call<{ role: string }>(host, 'session.current');
    expect(session.ok && session.value.role).toBe('physician');
  });

  it('a card swap: removal locks the GP, the secretary card + PIN switches to her own profile', async () => {
    const reader = new FakeCardReader(gpToken());
    const { host, events } = newHost(secured, { reader });
    await host.start();
    expect((await call(host, 'auth.signInCard', { pin: '1234' })).ok).toBe(true);
    const gpComposition = host.composition!;

    reader.remove();
    await until(() => events.some((e) => e.type === 'session-locked'), 'the lock on removal');
    reader.insert(secretaryToken());
    await until(() => host.status().card?.holder?.idNatPs === SECRETARY.idNatPs, 'the new holder to show');

    // The lock panel's PIN, typed by the secretary: this signs her in (not an unlock of the GP).
    const unlocked = await call(host, 'session.unlock', { pin: '5678' });
    expect(unlocked.ok).toBe(true);
    const status = host.status();
    expect(status.professional?.idNatPs).toBe(SECRETARY.idNatPs);
    expect(host.composition).not.toBe(gpComposition);
    const session = await call<{ role: string; permissions: string[] }>(host, 'session.current');
    expect(session.ok && session.value.role).toBe('secretary');
    expect(session.ok && session.value.permissions).not.toContain('prescription.write');
    // The GP's store was closed with the switch: A's handle is gone before B's opened.
    expect(() => gpComposition.store.listPatients()).toThrow();
  });

  it('demo identity only without a card; signing out closes the profile and refuses calls again', async () => {
    const reader = new FakeCardReader();
    const { host } = newHost(open, { reader, demoRpps: DEMO_GP_RPPS });
    await host.start();
    expect(host.status().demoAllowed).toBe(true);

    reader.insert(gpToken());
    await until(() => host.status().card?.present === true, 'the card to show');
    expect(host.status().demoAllowed).toBe(false);
    const refused = await call(host, 'auth.signInDemo');
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');

    reader.remove();
    await until(() => host.status().card?.present === false, 'the removal to show');
    const demo = await call<AuthStatus>(host, 'auth.signInDemo');
    expect(demo.ok && demo.value).toMatchObject({ signedIn: true, method: 'demo' });
    expect((await call(host, 'patient.list')).ok).toBe(true);

    const out = await call<AuthStatus>(host, 'auth.signOut');
    expect(out.ok && out.value.signedIn).toBe(false);
    const after = await call(host, 'patient.list');
    expect(after.ok ? null : after.error.code).toBe('UNAUTHENTICATED');
  });

  it('an install without demo identity refuses it', async () => {
    const { host } = newHost(open, { demoRpps: null });
    await host.start();
    expect(host.status()).toMatchObject({ signedIn: false, card: null, demoAllowed: false });
    const refused = await call(host, 'auth.signInDemo');
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
  });
});

/** Patients with an INS, read from the open sandbox (same seed as the secured one). */
async function publicPatients(): Promise<Patient[]> {
  const { createFhirPlatform } = await import('../platform/fhir/index');
  const { DEMO_GP_ID } = await import('../../sandbox/seed/index');
  const list = await createFhirPlatform({ baseUrl: open.url }).listPatientsFollowedBy(DEMO_GP_ID);
  return list.filter((p) => p.ins);
}
