import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { startSandbox } from '../../sandbox/server';
import { contextOf } from '../../test/support/app-fixture';
import { isPlainSqliteFile, openSqlite } from '../store/encryption';
import { LocalStore } from '../store/store';
import { Profiles, storeKeyAccount } from './profiles';
import { ProfileSwitcher } from './switcher';

const A = '99700001011'; // Dr Hélène DUFAU (sandbox)
const B = '99700001029'; // Dr Pierre LABORDE (sandbox)

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'relais-profiles-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('encrypted per-professional profiles', () => {
  it('creates a random key per professional on first sign-in, kept in the secret store', async () => {
    const secrets = new MemorySecretStore();
    const profiles = new Profiles({ dataDir: tempDir(), secretStore: secrets });
    const a = await profiles.open(A);
    const b = await profiles.open(B);
    a.close();
    b.close();
    const ka = await secrets.get(storeKeyAccount(A));
    const kb = await secrets.get(storeKeyAccount(B));
    expect(ka).toMatch(/^[0-9a-f]{64}$/);
    expect(kb).toMatch(/^[0-9a-f]{64}$/);
    expect(ka).not.toBe(kb);
    expect(profiles.list()).toEqual([A, B]);
    // Reopening uses the same key (no new one).
    (await profiles.open(A)).close();
    expect(await secrets.get(storeKeyAccount(A))).toBe(ka);
  });

  it("profile A's database cannot be opened without A's key, nor with B's", async () => {
    const secrets = new MemorySecretStore();
    const profiles = new Profiles({ dataDir: tempDir(), secretStore: secrets });
    const a = await profiles.open(A);
    a.audit(A, 'test', null);
    a.close();
    (await profiles.open(B)).close();
    const path = profiles.storePath(A);
    expect(isPlainSqliteFile(path)).toBe(false);
    expect(() => openSqlite(path)).toThrow(/not a database|encrypted/i);
    expect(() => openSqlite(path, { driver: 'multiple-ciphers' })).toThrow(/not a database|encrypted/i);
    const keyB = (await profiles.storeKey(B))!;
    expect(() => openSqlite(path, { key: keyB })).toThrow(/not a database|encrypted/i);
    expect(() => new LocalStore(path, { key: keyB })).toThrow(/cannot open store/);
    const keyA = (await profiles.storeKey(A))!;
    const reopened = new LocalStore(path, { key: keyA });
    expect(reopened.auditTrail().map((r) => r.action)).toEqual(['test']);
    reopened.close();
  });

  it('refuses to replace an encrypted store whose key is gone', async () => {
    const secrets = new MemorySecretStore();
    const profiles = new Profiles({ dataDir: tempDir(), secretStore: secrets });
    (await profiles.open(A)).close();
    await profiles.forgetKey(A);
    await expect(profiles.open(A)).rejects.toThrow(/key is missing/);
  });

  it('encrypts in place a plain store left by an earlier version', async () => {
    const dataDir = tempDir();
    const profiles = new Profiles({ dataDir, secretStore: new MemorySecretStore() });
    const plain = new LocalStore(profiles.storePath(A));
    plain.audit(A, 'before-encryption', null);
    plain.close();
    expect(isPlainSqliteFile(profiles.storePath(A))).toBe(true);
    const store = await profiles.open(A);
    expect(store.auditTrail().map((r) => r.action)).toEqual(['before-encryption']);
    store.close();
    expect(isPlainSqliteFile(profiles.storePath(A))).toBe(false);
  });

  it('no patient name nor INS in clear in store.db or its WAL; B never sees A’s data', async () => {
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    const switcher = new ProfileSwitcher({ platformUrl: sandbox.url, dataDir, demo: false, encrypt: true, secretStore: secrets });
    const compA = await switcher.signIn(A);
    expect(compA.store.encrypted).toBe(true);
    const patients = await compA.core.handlers['patient.list']({});
    const patient = patients.find((p) => p.ins !== null) as Patient;
    expect(patient).toBeDefined();
    await compA.core.handlers['patient.open'](contextOf(patient));
    await compA.core.handlers['draft.save']({ patientId: patient.id, text: `Brouillon pour ${patient.birthName}` });
    const page = await compA.core.handlers['journal.page']({ patientId: patient.id });
    expect(page.entries.length).toBeGreaterThan(0);

    // While A's session is open (WAL not checkpointed yet) and after it is closed.
    const path = join(dataDir, 'profiles', A, 'store.db');
    const needles = [patient.birthName, patient.ins!.value, page.entries[0]!.text.slice(0, 24), 'patient.open', 'audit_log', 'CREATE TABLE'];
    const raw = () => Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
    expect(existsSync(`${path}-wal`)).toBe(true);
    for (const n of needles) expect(raw().includes(Buffer.from(n, 'utf8')), `« ${n} » in clear`).toBe(false);

    // B signs in: A's store is closed, B's store opened, nothing of A visible.
    const compB = await switcher.signIn(B);
    expect(switcher.rpps).toBe(B);
    expect(compB.store.path).toBe(join(dataDir, 'profiles', B, 'store.db'));
    expect(compB.store.listPatients().map((p) => p.id)).not.toContain(patient.id);
    expect(compB.store.getDraft(patient.id)).toBeNull();
    expect(compB.store.auditTrail().filter((r) => r.actor === A)).toEqual([]);
    expect(compB.core.session().professional.rpps).toBe(B);
    for (const n of needles.slice(0, 3)) expect(raw().includes(Buffer.from(n, 'utf8'))).toBe(false);

    // A's key is not B's key, and A's store reopens with A's key only.
    const keyA = Buffer.from((await secrets.get(storeKeyAccount(A)))!, 'hex');
    const again = new LocalStore(path, { key: keyA });
    expect(again.getDraft(patient.id)?.text).toContain(patient.birthName);
    again.close();
    await switcher.signOut();
    expect(switcher.composition).toBeNull();
  });
});
