import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySecretStore, SafeStorageSecretStore, type SafeStorageLike, type SecretStore } from './index';

const dir = mkdtempSync(join(tmpdir(), 'relais-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for Electron's safeStorage: XOR "encryption", enough to show nothing is kept in clear. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  const x = (b: Buffer) => Buffer.from(b.map((v) => v ^ 0x5a));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => x(Buffer.from(`v11${s}`, 'utf8')),
    decryptString: (b) => x(b).toString('utf8').slice(3),
    getSelectedStorageBackend: () => backend,
  };
}

async function contract(store: SecretStore): Promise<void> {
  expect(await store.get('store-key:99700001011')).toBeNull();
  await store.set('store-key:99700001011', 'a'.repeat(64));
  await store.set('store-key:99700001029', 'b'.repeat(64));
  expect(await store.get('store-key:99700001011')).toBe('a'.repeat(64));
  await store.set('store-key:99700001011', 'c'.repeat(64));
  expect(await store.get('store-key:99700001011')).toBe('c'.repeat(64));
  expect(await store.delete('store-key:99700001011')).toBe(true);
  expect(await store.delete('store-key:99700001011')).toBe(false);
  expect(await store.get('store-key:99700001011')).toBeNull();
  expect(await store.get('store-key:99700001029')).toBe('b'.repeat(64));
  await expect(store.get('')).rejects.toThrow(/invalid/);
}

describe('SecretStore implementations', () => {
  it('memory', async () => {
    await contract(new MemorySecretStore());
  });

  it('safeStorage: a file of encrypted blobs, nothing in clear', async () => {
    const file = join(dir, 'secrets.json');
    await contract(new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage() }));
    expect(readFileSync(file, 'utf8')).not.toContain('b'.repeat(64));
  });

  it('safeStorage: refuses when no keyring is available, or Linux fell back to basic_text', async () => {
    const file = join(dir, 'other.json');
    await expect(new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('gnome_libsecret', false) }).set('k', 'v')).rejects.toThrow(
      /not available/,
    );
    await expect(new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('basic_text') }).set('k', 'v')).rejects.toThrow(/basic_text/);
    const lax = new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('basic_text'), allowPlainTextBackend: true });
    await lax.set('k', 'v');
    expect(await lax.get('k')).toBe('v');
  });

  it('safeStorage: isAvailable() is what the Electron host checks before opening encrypted stores', () => {
    const file = join(dir, 'avail.json');
    expect(new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage() }).isAvailable()).toBe(true);
    expect(new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('gnome_libsecret', false) }).isAvailable()).toBe(false);
    expect(new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('basic_text') }).isAvailable()).toBe(false);
    expect(new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage('basic_text'), allowPlainTextBackend: true }).isAvailable()).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('safeStorage: the secrets file and its directory are owner-only, even after a crash left a 0644 temp file', async () => {
    const sub = join(dir, 'data');
    const file = join(sub, 'secrets.json');
    const old = process.umask(0o022);
    try {
      const store = new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage() });
      await store.set('k', 'v');
      expect(statSync(sub).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      writeFileSync(`${file}.tmp`, '{}');
      chmodSync(`${file}.tmp`, 0o644);
      await store.set('k2', 'v2');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});
