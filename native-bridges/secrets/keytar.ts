import { createRequire } from 'node:module';
import { checkAccount, SECRET_SERVICE, SecretStoreError, type SecretStore } from './port';

type Keytar = typeof import('keytar');

const require = createRequire(import.meta.url);

/**
 * The OS keychain through keytar: Keychain (macOS), Credential Vault (Windows), Secret Service /
 * libsecret (Linux: gnome-keyring, KWallet). keytar is archived upstream; see docs/secrets.md.
 */
export class KeytarSecretStore implements SecretStore {
  private keytar: Keytar | null = null;

  constructor(readonly service: string = SECRET_SERVICE) {}

  /** Loaded on first use so a machine without the native module fails here, with a clear message. */
  private lib(): Keytar {
    if (!this.keytar) {
      try {
        this.keytar = require('keytar') as Keytar;
      } catch (error) {
        throw new SecretStoreError('keytar (OS keychain) is not available on this machine', error);
      }
    }
    return this.keytar;
  }

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    return this.call('read', () => this.lib().getPassword(this.service, account));
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    await this.call('write', () => this.lib().setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    return this.call('delete', () => this.lib().deletePassword(this.service, account));
  }

  private async call<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (error instanceof SecretStoreError) throw error;
      // On Linux: no Secret Service on the session bus, or the keyring is locked.
      throw new SecretStoreError(`cannot ${what} the OS keychain: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }
}
