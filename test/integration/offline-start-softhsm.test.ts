/**
 * Offline start with a card (issue 16): after one online card sign-in, the platform down, the
 * same card and PIN open the professional's local store — journal from the cache, writes into
 * the outbox, the sign-in audited — and once the platform answers the window is asked for the PIN
 * (`sign-in-required`), whose unlock signs in online and lets the outbox send. SessionHost as
 * both hosts run it, a real PKCS#11 token (SoftHSM2), the sandbox with card sign-in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus, JournalEntry, LaunchContext, OutboxItem, Patient, RelaisEvent, Result } from '../../contract';
import { holderAccount } from '../../main/auth/offline-card';
import { SessionHost } from '../../main/session/session-host';
import { Pkcs11CardReader } from '../../native-bridges/card/pkcs11-reader';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DEMO_GP_CARD, testPki } from '../fixtures/pki/pki';
import { createSoftHsmToken, findSoftHsm, type SoftHsmToken } from '../fixtures/pki/softhsm-token';

const softhsm = findSoftHsm();
if (!softhsm) console.warn('[offline-start] SKIPPED: needs softhsm2 and opensc');
const PIN = '48203917';
const cardAuth = { trustedRootsPem: [testPki().root.certificatePem], tokenTtlSeconds: 600 };

describe.skipIf(!softhsm)('offline start with a card seen online (SoftHSM2)', () => {
  let token: SoftHsmToken;
  let sandbox: Sandbox | null;
  let port: number;
  let dataDir: string;
  let host: SessionHost;
  const events: RelaisEvent[] = [];
  const secrets = new MemorySecretStore();

  beforeAll(async () => {
    process.env.RELAIS_OFFLINE_PROBE_MS = '200';
    token = createSoftHsmToken({ pin: PIN });
    process.env.SOFTHSM2_CONF = token.conf;
    sandbox = await startSandbox({ port: 0, seed: 1, cardAuth });
    port = sandbox.port;
    dataDir = mkdtempSync(join(tmpdir(), 'relais-offline-start-'));
    host = new SessionHost({
      compose: { platformUrl: sandbox.url, dataDir, encrypt: true, secretStore: secrets, outboxBackoff: { baseMs: 100, capMs: 300 } },
      cardReader: new Pkcs11CardReader(token.lib),
      cardPollMs: 100,
      demoRpps: null,
    });
    host.events.subscribe((e) => events.push(e));
    await host.start();
  }, 120_000);

  afterAll(async () => {
    delete process.env.RELAIS_OFFLINE_PROBE_MS;
    await host?.close();
    await sandbox?.close();
    token?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async <T>(method: string, payload: unknown = {}) => (await host.dispatch(method, payload)) as Result<T>;
  const value = async <T>(method: string, payload: unknown = {}): Promise<T> => {
    const r = await call<T>(method, payload);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const contextOf = (p: Patient): LaunchContext => ({ ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex });

  it('online once, then offline: PIN checked, cached journal, outbox, audit; back online through the PIN', async () => {
    // 1. Online sign-in: the holder is kept in the keychain; the patient's journal is cached.
    await host.authHandlers['auth.signInCard']({ pin: PIN });
    expect(JSON.parse((await secrets.get(holderAccount(DEMO_GP_CARD.idNatPs)))!)).toMatchObject({ v: 1, professional: { idNatPs: DEMO_GP_CARD.idNatPs } });
    const patient = (await value<Patient[]>('patient.list')).find((p) => p.ins)!;
    await value('patient.open', contextOf(patient));
    const online = await value<{ entries: JournalEntry[] }>('journal.page', { patientId: patient.id });
    expect(online.entries.length).toBeGreaterThan(0);
    await host.authHandlers['auth.signOut']({});

    // 2. The platform goes down. A wrong PIN still fails; the right one opens the local store.
    await sandbox!.close();
    sandbox = null;
    await expect(host.authHandlers['auth.signInCard']({ pin: '00000000' })).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    expect(host.status().signedIn).toBe(false);
    const status: AuthStatus = await host.authHandlers['auth.signInCard']({ pin: PIN });
    expect(status).toMatchObject({ signedIn: true, method: 'card', professional: { idNatPs: DEMO_GP_CARD.idNatPs } });
    const opened = await value<{ patient: Patient; cached: boolean }>('patient.open', contextOf(patient));
    expect(opened.patient.id).toBe(patient.id);
    const offlinePage = await value<{ entries: JournalEntry[] }>('journal.page', { patientId: patient.id });
    expect(offlinePage.entries.map((e) => e.id)).toEqual(online.entries.map((e) => e.id));
    const item = await value<OutboxItem>('journal.post', { patientId: patient.id, kind: 'text', text: 'Passage hors ligne : tension 13/8.' });
    expect(item.status).toBe('queued');
    const audit = host.composition!.store.auditTrail().filter((r) => r.action === 'auth.offline-sign-in');
    expect(audit).toHaveLength(1);
    expect(host.composition!.store.verifyAudit()).toMatchObject({ ok: true });
    expect(events.some((e) => e.type === 'sign-in-required')).toBe(false);

    // 3. The platform answers again: the window is asked for the PIN, the unlock signs in online, the post goes.
    sandbox = await startSandbox({ port, seed: 1, cardAuth });
    await expect.poll(() => events.some((e) => e.type === 'sign-in-required'), { timeout: 30_000 }).toBe(true);
    await value('session.unlock', { pin: PIN });
    await expect.poll(async () => (await value<OutboxItem[]>('outbox.list', { patientId: patient.id })).find((i) => i.id === item.id)?.status, { timeout: 60_000 }).toBe('sent');
  }, 180_000);
});
