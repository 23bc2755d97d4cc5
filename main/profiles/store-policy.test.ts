import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES_FR } from '../../contract/i18n/errors.fr';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { SecretStoreError, type SecretStore } from '../../native-bridges/secrets/port';
import { startSandbox } from '../../sandbox/server';
import { composeCore, type ComposeOptions } from '../compose';
import { DEMO_GP_RPPS } from '../config/demo-identity';
import { saveSettings, SettingsSchema } from '../settings/settings';
import { isPlainSqliteFile } from '../store/encryption';

/**
 * Issue 11, item 6: without an OS keychain a real professional's store is never opened in clear
 * unless the machine policy says so; the demo identity may stay plain.
 */
const A = '99700001011'; // Dr Hélène DUFAU (sandbox), signed in like a card holder (demo: false)

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'relais-store-policy-'));
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

const options = (dataDir: string, extra: Partial<ComposeOptions> = {}): ComposeOptions => ({
  platformUrl: sandbox.url,
  dataDir,
  rpps: A,
  demo: false,
  ...extra,
});

class BrokenKeychain implements SecretStore {
  async get(): Promise<string | null> {
    throw new SecretStoreError('cannot read the OS keychain: the keyring is locked');
  }
  async set(): Promise<void> {
    throw new SecretStoreError('cannot write the OS keychain');
  }
  async delete(): Promise<boolean> {
    throw new SecretStoreError('cannot delete from the OS keychain');
  }
}

describe('no plaintext store for a real professional (KEYCHAIN_UNAVAILABLE)', () => {
  it('a card-like composition without a SecretStore is refused, and nothing is written in clear', async () => {
    const dataDir = tempDir();
    await expect(composeCore(options(dataDir))).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(composeCore(options(dataDir, { encrypt: false, secretStore: new MemorySecretStore() }))).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    });
    expect(existsSync(join(dataDir, 'profiles', A, 'store.db'))).toBe(false);
    expect(ERROR_MESSAGES_FR.KEYCHAIN_UNAVAILABLE).toMatch(/^Le trousseau du système est indisponible : Relais ne peut pas protéger les données/);
  });

  it('a keychain that fails when asked is the same typed refusal, not a raw error', async () => {
    await expect(composeCore(options(tempDir(), { encrypt: true, secretStore: new BrokenKeychain() }))).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: expect.stringMatching(/keyring is locked/),
    });
  });

  it('with the machine policy (settings.json storage.allowUnencrypted) it opens plain, and the trail says so', async () => {
    const dataDir = tempDir();
    saveSettings(dataDir, SettingsSchema.parse({ storage: { allowUnencrypted: true } }));
    const comp = await composeCore(options(dataDir));
    try {
      expect(comp.store.encrypted).toBe(false);
      expect(isPlainSqliteFile(comp.store.path)).toBe(true);
      expect(comp.store.auditTrail().map((r) => r.action)).toEqual(['store.unencrypted']);
    } finally {
      await comp.close();
    }
  });

  it('the demo identity opens plain without a keychain', async () => {
    const comp = await composeCore({ platformUrl: sandbox.url, dataDir: tempDir(), rpps: DEMO_GP_RPPS, demo: true });
    try {
      expect(comp.store.encrypted).toBe(false);
      expect(comp.store.auditTrail()).toEqual([]);
    } finally {
      await comp.close();
    }
  });

  it('with a keychain the professional’s store is encrypted (the default settings)', async () => {
    const comp = await composeCore(options(tempDir(), { encrypt: true, secretStore: new MemorySecretStore() }));
    try {
      expect(comp.store.encrypted).toBe(true);
      expect(isPlainSqliteFile(comp.store.path)).toBe(false);
    } finally {
      await comp.close();
    }
  });
});
