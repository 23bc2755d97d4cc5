import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RelaisError, type Professional } from '../../contract';
import type { SecretStore } from '../../native-bridges/secrets/port';
import { generateStoreKey, isPlainSqliteFile, openSqlite, STORE_KEY_BYTES } from '../store/encryption';
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
    const hex = await this.options.secretStore.get(storeKeyAccount(rpps));
    if (hex === null) return null;
    const key = Buffer.from(hex, 'hex');
    if (key.length !== STORE_KEY_BYTES || key.toString('hex') !== hex.toLowerCase()) {
      throw new RelaisError('STORAGE_ERROR', `the store key of profile ${rpps} in the keychain is malformed`);
    }
    return key;
  }

  /**
   * Opens the professional's encrypted store, creating the key (and the store) on first sign-in.
   * A plain store left by an earlier version is encrypted in place with the new key.
   */
  async open(rpps: string): Promise<LocalStore> {
    const path = this.storePath(rpps);
    const exists = existsSync(path);
    let key = await this.storeKey(rpps);
    if (key === null) {
      if (exists && !isPlainSqliteFile(path)) {
        // Never overwrite: the data is there, its key is not (keychain reset, other machine user).
        throw new RelaisError('STORAGE_ERROR', `the store of profile ${rpps} is encrypted and its key is missing from the keychain`);
      }
      key = generateStoreKey();
      await this.options.secretStore.set(storeKeyAccount(rpps), key.toString('hex'));
    }
    if (exists && isPlainSqliteFile(path)) encryptInPlace(path, key);
    return new LocalStore(path, { key });
  }

  /** Removes the key of a profile (its store becomes unreadable: crypto-erase). */
  async forgetKey(rpps: string): Promise<boolean> {
    checkProfileId(rpps);
    return this.options.secretStore.delete(storeKeyAccount(rpps));
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
