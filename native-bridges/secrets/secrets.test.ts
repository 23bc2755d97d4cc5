import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
});
