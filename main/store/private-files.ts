import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Owner-only files and directories in the data directory (issue 11, item 5): a shared practice
 * machine has other local users, and a umask of 022 would leave patient data readable by them.
 * Modes are set before anything is written, and corrected on every open so an install made by an
 * earlier version (0755 / 0644) is fixed. On Windows these calls only toggle the read-only bit;
 * the protection there is the per-user profile directory's ACL (docs/secrets.md).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const POSIX = process.platform !== 'win32';

/** Creates the directory (and missing parents) owner-only, and makes an existing one owner-only. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (POSIX) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** `<dataDir>` and each of `sub` below it (e.g. 'profiles', '<id>'), all owner-only. */
export function ensurePrivateDirs(dataDir: string, ...sub: string[]): string {
  let dir = dataDir;
  ensurePrivateDir(dir);
  for (const part of sub) {
    dir = join(dir, part);
    ensurePrivateDir(dir);
  }
  return dir;
}

/** Makes an existing file owner-only (a no-op when it does not exist; a symlink is refused). */
export function restrictFile(path: string): void {
  if (!POSIX || !existsSync(path)) return;
  if (lstatSync(path).isSymbolicLink()) throw new Error(`refusing a symbolic link in the data directory: ${path}`);
  chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Before SQLite opens `path`: its directory owner-only, the database file created empty with 0600
 * if missing (SQLite gives its -wal, -shm and -journal files the mode of the database file), and
 * the mode of an existing database and its side files corrected.
 */
export function prepareSqliteFile(path: string): void {
  ensurePrivateDir(dirname(path));
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) restrictFile(p);
}
