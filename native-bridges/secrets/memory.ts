import { checkAccount, type SecretStore } from './port';

/** In memory, for tests and for a session that must leave nothing behind. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    checkAccount(account);
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    return this.secrets.delete(account);
  }
}
