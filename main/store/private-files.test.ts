import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { writeInstanceFile } from '../instance/instance-file';
import { Profiles } from '../profiles/profiles';
import { saveSettings, SettingsSchema } from '../settings/settings';
import { LocalStore } from './store';

// Real modes on this machine: a umask of 022 (the usual default) is what left 0644 / 0755 before.
const mode = (p: string) => statSync(p).mode & 0o777;
const dirs: string[] = [];
let previousUmask: number;
beforeEach(() => {
  previousUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(previousUmask);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'relais-modes-'));
  dirs.push(d);
  return d;
}

describe.skipIf(process.platform === 'win32')('data files are owner-only (issue 11, item 5)', () => {
  it('a new plain store: data dir, profiles/<id>/ 0700; store.db, -wal and -shm 0600', () => {
    const dataDir = join(tempDir(), 'relais');
    const path = join(dataDir, 'profiles', '99700001011', 'store.db');
    const store = new LocalStore(path);
    store.audit('99700001011', 'patient.open', 'p1');
    store.saveDraft('p1', 'brouillon');
    expect(mode(join(dataDir, 'profiles', '99700001011'))).toBe(0o700);
    for (const p of [path, `${path}-wal`, `${path}-shm`]) expect(mode(p), p).toBe(0o600);
    const outbox = store.openOutboxRepository();
    outbox.close();
    store.close();
  });

  it('an encrypted profile: every directory from the data dir down 0700, the files 0600', async () => {
    const dataDir = join(tempDir(), 'relais');
    const profiles = new Profiles({ dataDir, secretStore: new MemorySecretStore() });
    const store = await profiles.open('99700001011');
    store.audit('99700001011', 'patient.open', 'p1');
    const path = profiles.storePath('99700001011');
    for (const d of [dataDir, join(dataDir, 'profiles'), join(dataDir, 'profiles', '99700001011')]) expect(mode(d), d).toBe(0o700);
    for (const p of [path, `${path}-wal`, `${path}-shm`]) expect(mode(p), p).toBe(0o600);
    store.close();
  });

  it('an install left 0755 / 0644 by an earlier version is made owner-only when opened', async () => {
    const dataDir = join(tempDir(), 'relais');
    const profileDir = join(dataDir, 'profiles', '99700001011');
    const path = join(profileDir, 'store.db');
    const old = new LocalStore(path);
    old.audit('99700001011', 'patient.open', 'p1');
    // What an earlier version left behind (its WAL still there, as after a crash).
    for (const d of [dataDir, join(dataDir, 'profiles'), profileDir]) chmodSync(d, 0o755);
    for (const p of [path, `${path}-wal`, `${path}-shm`]) chmodSync(p, 0o644);
    old.close();
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);

    const profiles = new Profiles({ dataDir, secretStore: new MemorySecretStore() });
    const store = await profiles.open('99700001011'); // encrypted in place, then opened
    expect(store.auditTrail().map((r) => r.action)).toEqual(['patient.open']);
    for (const d of [dataDir, join(dataDir, 'profiles'), profileDir]) expect(mode(d), d).toBe(0o700);
    for (const p of [path, `${path}-wal`]) expect(mode(p), p).toBe(0o600);
    store.close();

    // A plain store reopened as such is corrected too.
    const plainPath = join(tempDir(), 'store.db');
    new LocalStore(plainPath).close();
    chmodSync(plainPath, 0o644);
    new LocalStore(plainPath).close();
    expect(mode(plainPath)).toBe(0o600);
  });

  it('settings.json and instance.json: 0600 in a 0700 data dir, also when the dir existed 0755', () => {
    const dataDir = join(tempDir(), 'relais');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    saveSettings(dataDir, SettingsSchema.parse({}));
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'settings.json'))).toBe(0o600);
    chmodSync(dataDir, 0o755);
    writeInstanceFile(dataDir, { pid: 1, host: 'web', controlUrl: 'http://127.0.0.1:1/', token: 'x'.repeat(32) });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'instance.json'))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ storage: { allowUnencrypted: false } });
  });
});
