/**
 * The drug database of this install (main/store/drug-db.ts), as the prescription feature uses it:
 * `<data dir>/drugs/bdpm.sqlite`, shared by every profile. Built at first use from the BDPM
 * extract shipped with Relais (no binary database in the repository); replaced by an
 * administrator's import of a current release (`relais bdpm import <dossier|zip>`, or
 * `importRelease`). A malformed release is refused with a French message naming the file and the
 * line, and the previous database stays in use. docs/prescription.md.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DrugHit, DrugRelease } from '../../contract';
import { DrugDatabase, writeDrugDatabase } from '../store/drug-db';
import { parseBdpm, readBdpmSource } from './bdpm-files';
import { buildDrugRows } from './build';

export const DRUG_DB_FILE = join('drugs', 'bdpm.sqlite');
export const BUNDLED_SOURCE_LABEL = 'extrait fourni avec Relais';

/** Reads, checks and writes a release; throws BdpmFormatError before touching the database in use. */
export function importBdpm(source: string, dbPath: string, options: { label?: string; now?: () => Date } = {}): DrugRelease {
  const release = parseBdpm(readBdpmSource(source));
  const rows = buildDrugRows(release, { source: options.label ?? basename(source), importedAt: (options.now?.() ?? new Date()).toISOString() });
  mkdirSync(join(dbPath, '..'), { recursive: true });
  writeDrugDatabase(dbPath, rows);
  return rows.release;
}

export interface DrugCatalog {
  /** DCI lines first, then specialities; [] under two letters or without a database. */
  search(query: string): DrugHit[];
  /** The release in use; null when there is none (no extract shipped, nothing imported). */
  release(): DrugRelease | null;
  /** Replaces the database with a release (folder or zip); the previous one stays on any error. */
  importRelease(source: string): DrugRelease;
  close(): void;
}

export interface DrugCatalogOptions {
  dataDir: string;
  /** The BDPM files shipped with Relais (folder), built at first use; RELAIS_BDPM_SOURCE overrides. */
  bundledSource?: string | null;
  now?: () => Date;
}

/** Where the shipped extract is: RELAIS_BDPM_SOURCE, else the shared data beside the checkout. */
export function defaultBundledSource(cwd = process.cwd()): string | null {
  const candidates = [process.env.RELAIS_BDPM_SOURCE, join(cwd, '..', 'shared', 'data', 'bdpm'), join(cwd, 'resources', 'bdpm')];
  return candidates.find((c): c is string => !!c && existsSync(join(c, 'CIS_bdpm.txt'))) ?? null;
}

export function openDrugCatalog(options: DrugCatalogOptions): DrugCatalog {
  const path = join(options.dataDir, DRUG_DB_FILE);
  let db: DrugDatabase | null = null;
  let openedAt = 0;
  let buildFailed = false;

  /** The database, (re)opened when another process (the CLI) replaced the file. */
  const current = (): DrugDatabase | null => {
    if (!existsSync(path)) {
      if (buildFailed || !options.bundledSource) return null;
      try {
        importBdpm(options.bundledSource, path, { label: BUNDLED_SOURCE_LABEL, ...(options.now ? { now: options.now } : {}) });
      } catch (err) {
        // A broken shipped extract is a packaging bug: say it once, do not retry on every keystroke.
        buildFailed = true;
        console.error(`drug database: the shipped BDPM extract could not be built: ${(err as Error).message}`);
        return null;
      }
    }
    const mtime = statSync(path).mtimeMs;
    if (!db || mtime !== openedAt) {
      db?.close();
      db = new DrugDatabase(path);
      openedAt = mtime;
    }
    return db;
  };

  return {
    search: (query) => current()?.search(query) ?? [],
    release: () => current()?.release() ?? null,
    importRelease(source) {
      // Closed first: on Windows a file open in SQLite cannot be renamed over.
      db?.close();
      db = null;
      const release = importBdpm(source, path, options.now ? { now: options.now } : {});
      buildFailed = false;
      return release;
    },
    close() {
      db?.close();
      db = null;
    },
  };
}

/** A core without a drug database (tests, tools): searches find nothing, no release. */
export const noDrugCatalog: DrugCatalog = {
  search: () => [],
  release: () => null,
  importRelease: () => {
    throw new Error('no drug database in this core');
  },
  close: () => undefined,
};
