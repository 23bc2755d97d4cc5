import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Opening SQLite files, plain (better-sqlite3) or encrypted with SQLCipher's format
 * (better-sqlite3-multiple-ciphers, the same API over SQLite3MultipleCiphers). See docs/secrets.md.
 */
export type SqliteDriver = 'better-sqlite3' | 'multiple-ciphers';

export interface OpenSqliteOptions {
  /** 32 random bytes (raw key, no KDF); implies the multiple-ciphers driver. */
  key?: Buffer;
  driver?: SqliteDriver;
}

/** Size of a store key in bytes (AES-256). */
export const STORE_KEY_BYTES = 32;

export function generateStoreKey(): Buffer {
  return randomBytes(STORE_KEY_BYTES);
}

const require = createRequire(import.meta.url);
let ciphersCtor: typeof Database | null = null;

/** Loaded lazily: a machine without the native module still runs with plain stores. */
function multipleCiphers(): typeof Database {
  // The two packages share their API; the types of better-sqlite3 are used throughout.
  ciphersCtor ??= require('better-sqlite3-multiple-ciphers') as typeof Database;
  return ciphersCtor;
}

/**
 * Opens a connection; with a key, sets the cipher and the raw key before anything else reads
 * the file, then checks the key by reading the schema (a wrong key fails here, not later).
 */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): Database.Database {
  const driver = options.driver ?? (options.key ? 'multiple-ciphers' : 'better-sqlite3');
  if (options.key && driver !== 'multiple-ciphers') throw new Error('an encrypted store needs the multiple-ciphers driver');
  const Ctor = driver === 'multiple-ciphers' ? multipleCiphers() : Database;
  const db = new Ctor(path);
  try {
    if (options.key) {
      if (options.key.length !== STORE_KEY_BYTES) throw new Error(`a store key has ${STORE_KEY_BYTES} bytes`);
      db.pragma(`cipher = 'sqlcipher'`);
      // Raw key: hex blob literal, no passphrase derivation (the key is random already).
      db.pragma(`key = "x'${options.key.toString('hex')}'"`);
    }
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** True when the file starts with SQLite's clear-text header (i.e. is not encrypted). */
export function isPlainSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const n = readSync(fd, header, 0, 16, 0);
    return n === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}
