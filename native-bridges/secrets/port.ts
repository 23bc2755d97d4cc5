/**
 * Where Relais keeps small secrets on the machine (store keys, never the CPS PIN): the OS
 * keychain through keytar, or Electron's safeStorage. One port, three implementations
 * (docs/secrets.md).
 */
export interface SecretStore {
  /** The secret of this account, or null when none is kept. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when a secret was removed. */
  delete(account: string): Promise<boolean>;
}

/** Keychain service name under which every Relais secret is filed. */
export const SECRET_SERVICE = 'Relais';

export class SecretStoreError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

export function checkAccount(account: string): void {
  if (account.length === 0 || account.length > 200 || [...account].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new SecretStoreError(`invalid secret account name`);
  }
}
