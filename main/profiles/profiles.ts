import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RelaisError, type Professional } from '../../contract';
import { SecretStoreError, type SecretStore } from '../../native-bridges/secrets/port';
import { generateStoreKey, isPlainSqliteFile, openSqlite, STORE_KEY_BYTES } from '../store/encryption';
import { ensurePrivateDirs } from '../store/private-files';
import { LocalStore } from '../store/store';

/**
 * RPPS: 11 digits (test identities start with 899700). ADELI-based ids are 9 characters.
 * Structure staff (CPE, no RPPS): their idNatPS with '/' made '-' (« 3409990011-SEC0001 »), so
 * the id stays one safe path segment.
 */
const PROFILE_ID = /^(?:[0-9A-Za-z]{9,11}|[0-9][0-9A-Z]{1,20}-[0-9A-Za-z]{1,20})$/;

/** The profile (directory, keychain account) of a professional: the RPPS, else the staff idNatPS in a filesystem-safe form. */
export function profileIdOf(professional: Pick<Professional, 'rpps' | 'idNatPs'>): string {
  return checkedProfileId(professional.rpps ?? professional.idNatPs.replace('/', '-'));
}

/** The id itself, once checked to be one of the forms above (never a path). */
export function checkedProfileId(id: string): string {
  checkProfileId(id);
  return id;
}

/** Keychain account of a professional's store key. */
export function storeKeyAccount(rpps: string): string {
  return `store-key:${rpps}`;
}

/** Keychain account of a professional's audit key (HMAC of the audit trail, main/audit/audit-chain.ts). */
export function auditKeyAccount(rpps: string): string {
  return `audit-key:${rpps}`;
}

export interface ProfilesOptions {
  /** The data directory of Relais; profiles live in `<dataDir>/profiles/<rpps>/store.db`. */
  dataDir: string;
  secretStore: SecretStore;
}

/**
 * One profile per professional on the machine, each with its own SQLCipher store whose random
 * 32-byte key is kept in the SecretStore (account `store-key:<rpps>`), created on first sign-in.
 */
export class Profiles {
  constructor(private readonly options: ProfilesOptions) {}

  storePath(rpps: string): string {
    checkProfileId(rpps);
    return join(this.options.dataDir, 'profiles', rpps, 'store.db');
  }

  /** RPPS of every profile with a store on this machine. */
  list(): string[] {
    const dir = join(this.options.dataDir, 'profiles');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => PROFILE_ID.test(name) && existsSync(join(dir, name, 'store.db')) && statSync(join(dir, name)).isDirectory())
      .sort();
  }

  /** The professional's store key, or null when none was created yet. */
  async storeKey(rpps: string): Promise<Buffer | null> {
    checkProfileId(rpps);
    return this.readKey(storeKeyAccount(rpps), `the store key of profile ${rpps}`);
  }

  /** The professional's audit key, or null when none was created yet. */
  async auditKey(rpps: string): Promise<Buffer | null> {
    checkProfileId(rpps);
    return this.readKey(auditKeyAccount(rpps), `the audit key of profile ${rpps}`);
  }

  /**
   * Opens the professional's encrypted store, creating the key (and the store) on first sign-in.
   * A plain store left by an earlier version is encrypted in place with the new key. The audit
   * key is created beside it the first time (also for a store that predates it): the trail is
   * keyed from the next row on (AuditLogRepository adopts it).
   */
  async open(rpps: string): Promise<LocalStore> {
    const path = this.storePath(rpps);
    ensurePrivateDirs(this.options.dataDir, 'profiles', rpps);
    const exists = existsSync(path);
    let key = await this.storeKey(rpps);
    if (key === null) {
      if (exists && !isPlainSqliteFile(path)) {
        // Never overwrite: the data is there, its key is not (keychain reset, other machine user).
        throw new RelaisError('STORAGE_ERROR', `the store of profile ${rpps} is encrypted and its key is missing from the keychain`);
      }
      key = generateStoreKey();
      await this.writeKey(storeKeyAccount(rpps), key);
    }
    let auditKey = await this.auditKey(rpps);
    const adopt = auditKey === null;
    if (auditKey === null) {
      auditKey = generateStoreKey();
      await this.writeKey(auditKeyAccount(rpps), auditKey);
    }
    if (exists && isPlainSqliteFile(path)) encryptInPlace(path, key);
    return new LocalStore(path, { key }, { key: auditKey, adopt });
  }

  /** Removes the keys of a profile (its store becomes unreadable: crypto-erase). */
  async forgetKey(rpps: string): Promise<boolean> {
    checkProfileId(rpps);
    const removed = await keychain(() => this.options.secretStore.delete(storeKeyAccount(rpps)));
    await keychain(() => this.options.secretStore.delete(auditKeyAccount(rpps)));
    return removed;
  }

  private async readKey(account: string, what: string): Promise<Buffer | null> {
    const hex = await keychain(() => this.options.secretStore.get(account));
    if (hex === null) return null;
    const key = Buffer.from(hex, 'hex');
    if (key.length !== STORE_KEY_BYTES || key.toString('hex') !== hex.toLowerCase()) {
      throw new RelaisError('STORAGE_ERROR', `${what} in the keychain is malformed`);
    }
    return key;
  }

  private async writeKey(account: string, key: Buffer): Promise<void> {
    await keychain(() => this.options.secretStore.set(account, key.toString('hex')));
  }
}

/** A keychain that fails (locked, no Secret Service, app identity changed) is a typed error the window words in French. */
async function keychain<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (error) {
    if (error instanceof SecretStoreError) throw new RelaisError('KEYCHAIN_UNAVAILABLE', error.message);
    throw error;
  }
}

function checkProfileId(rpps: string): void {
  if (!PROFILE_ID.test(rpps)) throw new RelaisError('INVALID_INPUT', 'invalid professional id for a profile', 'rpps');
}

/** Encrypts a plain SQLite file with SQLite3MultipleCiphers' rekey (not possible in WAL mode). */
export function encryptInPlace(path: string, key: Buffer): void {
  const db = openSqlite(path, { driver: 'multiple-ciphers' });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    db.close();
  }
  if (isPlainSqliteFile(path)) throw new RelaisError('STORAGE_ERROR', 'encrypting the existing store failed');
}
