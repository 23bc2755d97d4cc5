import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkAccount, SecretStoreError, type SecretStore } from './port';

/**
 * The part of Electron's `safeStorage` used here. The Electron host passes `safeStorage` itself
 * (main/electron); the core never imports electron (layer rule), and tests pass a fake.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring was found and secrets are only obfuscated. */
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageSecretStoreOptions {
  /** JSON file of base64 blobs, e.g. `<userData>/secrets.json`. */
  file: string;
  safeStorage: SafeStorageLike;
  /** Accept Linux's 'basic_text' backend (hard-coded key). Default false: refuse. */
  allowPlainTextBackend?: boolean;
}

/**
 * Secrets encrypted by Electron's safeStorage (key in the OS keychain / DPAPI / libsecret) and
 * kept in a file of blobs. Tied to this Electron app's identity; see docs/secrets.md.
 */
export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly options: SafeStorageSecretStoreOptions) {}

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    const blob = this.read()[account];
    if (blob === undefined) return null;
    this.assertAvailable();
    try {
      return this.options.safeStorage.decryptString(Buffer.from(blob, 'base64'));
    } catch (error) {
      throw new SecretStoreError('cannot decrypt a secret (keyring changed or app identity differs)', error);
    }
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    this.assertAvailable();
    const blobs = this.read();
    blobs[account] = this.options.safeStorage.encryptString(secret).toString('base64');
    this.write(blobs);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    const blobs = this.read();
    if (!(account in blobs)) return false;
    delete blobs[account];
    this.write(blobs);
    return true;
  }

  /**
   * Whether secrets can be kept here: an OS keyring answers and, on Linux, it is not the
   * basic_text fallback. The Electron host opens encrypted stores only then (docs/secrets.md).
   */
  isAvailable(): boolean {
    const s = this.options.safeStorage;
    return s.isEncryptionAvailable() && (this.options.allowPlainTextBackend === true || s.getSelectedStorageBackend?.() !== 'basic_text');
  }

  private assertAvailable(): void {
    const s = this.options.safeStorage;
    if (!s.isEncryptionAvailable()) throw new SecretStoreError('safeStorage encryption is not available (no OS keyring)');
    if (!this.options.allowPlainTextBackend && s.getSelectedStorageBackend?.() === 'basic_text') {
      throw new SecretStoreError('safeStorage fell back to basic_text on Linux (no keyring): refusing to keep secrets');
    }
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(this.options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new SecretStoreError('cannot read the secrets file', error);
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SecretStoreError('corrupt secrets file');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
    return out;
  }

  private write(blobs: Record<string, string>): void {
    // Owner-only (issue 11): the directory, and the temporary file even when a crash left one with another mode.
    mkdirSync(dirname(this.options.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.options.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(blobs, null, 2), { mode: 0o600 });
    if (process.platform !== 'win32') chmodSync(tmp, 0o600);
    renameSync(tmp, this.options.file);
  }
}
