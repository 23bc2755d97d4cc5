/**
 * The drug database (BDPM, issue 14): one read-only SQLite file per install, shared by every
 * profile (public data, never patient data, never encrypted). It lives in main/store because only
 * the store imports the SQLite driver (boundary.test.ts); main/drugs parses the official files and
 * decides when to build, this file owns the SQL.
 *
 * Built whole into a temporary file and renamed over the previous one (atomic on one volume), so
 * a failed or interrupted import never leaves a half database: the previous one stays in use.
 * Search: FTS5 over the speciality name, the DCI (substances with dosage), the form — accents
 * folded, every word a prefix.
 */
import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { DRUG_SEARCH_MAX, type DrugChoice, type DrugHit, type DrugRelease, type DrugRules, type DrugSubstance } from '../../contract';

export interface DrugRow {
  cis: string;
  name: string;
  form: string;
  routes: string[];
  marketed: boolean;
  substances: DrugSubstance[];
  dciLabel: string;
  rules: DrugRules;
}
export interface DciGroupRow {
  label: string;
  form: string;
  routes: string[];
  substances: DrugSubstance[];
  rules: DrugRules;
  /** One CIS of the group (the first marketed one). */
  cis: string;
  count: number;
  marketed: boolean;
}

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE speciality (cis TEXT PRIMARY KEY, name TEXT NOT NULL, form TEXT NOT NULL, routes TEXT NOT NULL,
    marketed INTEGER NOT NULL, substances TEXT NOT NULL, dci_label TEXT NOT NULL, rules TEXT NOT NULL);
  CREATE TABLE dci_group (id INTEGER PRIMARY KEY, label TEXT NOT NULL, form TEXT NOT NULL, routes TEXT NOT NULL,
    substances TEXT NOT NULL, rules TEXT NOT NULL, cis TEXT NOT NULL, count INTEGER NOT NULL, marketed INTEGER NOT NULL);
  -- kind 0: DCI line (ref = dci_group.id), 1: speciality (ref = CIS). Prefix indexes keep « amo* » fast.
  CREATE VIRTUAL TABLE drug_fts USING fts5(text, kind UNINDEXED, ref UNINDEXED, marketed UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
`;

/** Writes a complete database at `path` (through a temporary file renamed over it). */
export function writeDrugDatabase(path: string, content: { specialities: DrugRow[]; groups: DciGroupRow[]; release: DrugRelease }): void {
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const db = new Database(tmp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA);
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    const spec = db.prepare('INSERT INTO speciality VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const group = db.prepare('INSERT INTO dci_group VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const fts = db.prepare('INSERT INTO drug_fts (rowid, text, kind, ref, marketed) VALUES (?, ?, ?, ?, ?)');
    // The rowid IS the display order: DCI lines, then specialities; marketed first; shorter (more
    // general) labels first. FTS5 returns matches in rowid order, so « LIMIT 30 » stops after 30
    // rows even when a two-letter prefix matches ten thousand (the p95 stays flat).
    const entries: { text: string; kind: number; ref: string; marketed: number; label: string }[] = [];
    db.transaction(() => {
      meta.run('release', JSON.stringify(content.release));
      for (const s of content.specialities) {
        spec.run(s.cis, s.name, s.form, JSON.stringify(s.routes), s.marketed ? 1 : 0, JSON.stringify(s.substances), s.dciLabel, JSON.stringify(s.rules));
        entries.push({ text: `${s.name} ${s.dciLabel} ${s.substances.map((x) => x.name).join(' ')}`, kind: 1, ref: s.cis, marketed: s.marketed ? 1 : 0, label: s.name });
      }
      content.groups.forEach((g, id) => {
        group.run(id, g.label, g.form, JSON.stringify(g.routes), JSON.stringify(g.substances), JSON.stringify(g.rules), g.cis, g.count, g.marketed ? 1 : 0);
        entries.push({ text: `${g.label} ${g.substances.map((x) => x.name).join(' ')}`, kind: 0, ref: String(id), marketed: g.marketed ? 1 : 0, label: g.label });
      });
      entries.sort((a, b) => a.kind - b.kind || b.marketed - a.marketed || a.label.length - b.label.length || a.label.localeCompare(b.label, 'fr'));
      entries.forEach((e, i) => fts.run(i + 1, e.text, e.kind, e.ref, e.marketed));
      db.exec("INSERT INTO drug_fts (drug_fts) VALUES ('optimize')");
    })();
    db.close();
    renameSync(tmp, path);
  } catch (err) {
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** FTS5 query from what the GP typed: each word a quoted prefix, user syntax neutralised. */
export function ftsQuery(typed: string): string | null {
  const words = typed
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, 8);
  if (words.join('').length < 2) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

/** A read-only connection to a built database. */
export class DrugDatabase {
  private readonly db: Database.Database;
  private readonly searchStmt: Database.Statement<[string, number]>;
  private readonly specStmt: Database.Statement<[string]>;
  private readonly groupStmt: Database.Statement<[string]>;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    // Rowid order = DCI lines first (the law asks for DCI), marketed first, general first (see writeDrugDatabase).
    this.searchStmt = this.db.prepare('SELECT kind, ref FROM drug_fts WHERE drug_fts MATCH ? ORDER BY rowid LIMIT ?') as Database.Statement<[string, number]>;
    this.specStmt = this.db.prepare('SELECT * FROM speciality WHERE cis = ?') as Database.Statement<[string]>;
    this.groupStmt = this.db.prepare('SELECT * FROM dci_group WHERE id = ?') as Database.Statement<[string]>;
  }

  release(): DrugRelease {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'release'").get() as { value: string };
    return JSON.parse(row.value) as DrugRelease;
  }

  search(typed: string, limit = DRUG_SEARCH_MAX): DrugHit[] {
    const q = ftsQuery(typed);
    if (!q) return [];
    const rows = this.searchStmt.all(q, limit) as { kind: number; ref: string }[];
    return rows.map((r) => (r.kind === 0 ? this.groupHit(r.ref) : this.specialityHit(r.ref))).filter((h): h is DrugHit => h !== null);
  }

  speciality(cis: string): DrugHit | null {
    return this.specialityHit(cis);
  }

  private specialityHit(cis: string): DrugHit | null {
    const s = this.specStmt.get(cis) as Record<string, string | number> | undefined;
    if (!s) return null;
    const choice: DrugChoice = {
      kind: 'speciality',
      cis: String(s.cis),
      dciLabel: String(s.dci_label),
      specialityName: String(s.name),
      form: String(s.form),
      routes: JSON.parse(String(s.routes)) as string[],
      substances: JSON.parse(String(s.substances)) as DrugSubstance[],
      rules: JSON.parse(String(s.rules)) as DrugRules,
    };
    return { choice, specialities: 1, marketed: s.marketed === 1 };
  }

  private groupHit(id: string): DrugHit | null {
    const g = this.groupStmt.get(id) as Record<string, string | number> | undefined;
    if (!g) return null;
    const choice: DrugChoice = {
      kind: 'dci',
      cis: String(g.cis),
      dciLabel: String(g.label),
      specialityName: null,
      form: String(g.form),
      routes: JSON.parse(String(g.routes)) as string[],
      substances: JSON.parse(String(g.substances)) as DrugSubstance[],
      rules: JSON.parse(String(g.rules)) as DrugRules,
    };
    return { choice, specialities: Number(g.count), marketed: g.marketed === 1 };
  }

  close(): void {
    this.db.close();
  }
}
