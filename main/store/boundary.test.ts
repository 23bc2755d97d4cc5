/**
 * The store is a boundary (shared ARCHITECTURE.md, issue 10): no raw SQLite handle leaves
 * main/store, and each table's SQL has one owner, a repository in main/store/repositories.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore } from './store';

const MAIN = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [path] : [];
  });
}

const files = sources(MAIN).map((path) => ({ path: relative(MAIN, path), text: readFileSync(path, 'utf8') }));

describe('the store boundary', () => {
  it('only main/store imports the SQLite driver', () => {
    const outside = files.filter((f) => !f.path.startsWith('store/') && /from 'better-sqlite3(-multiple-ciphers)?'/.test(f.text));
    expect(outside.map((f) => f.path)).toEqual([]);
  });

  it('LocalStore hands no connection out', () => {
    const store = new LocalStore(':memory:');
    expect('sqlite' in store).toBe(false);
    expect('openConnection' in store).toBe(false);
    store.close();
  });

  it('each table is written by one repository (the journal_entries upsert exists once)', () => {
    const tables = ['patients', 'journal_entries', 'entry_flags', 'sync_state', 'sync_progress', 'drafts', 'prescription_drafts', 'panels_cache', 'alerts_seen', 'alert_watch', 'audit_log', 'outbox'];
    const owners = Object.fromEntries(
      tables.map((t) => [
        t,
        files
          .filter((f) => !f.path.startsWith('store/migrations/'))
          .filter((f) => new RegExp(`(INSERT INTO|UPDATE|DELETE FROM) ${t}\\b`).test(f.text))
          .map((f) => f.path),
      ]),
    );
    for (const [table, paths] of Object.entries(owners)) {
      expect(paths, table).toHaveLength(1);
      expect(paths[0], table).toMatch(/^store\/repositories\//);
    }
    const upserts = files.flatMap((f) => [...f.text.matchAll(/INSERT INTO journal_entries/g)].map(() => f.path));
    expect(upserts.filter((p) => !p.startsWith('store/migrations/'))).toEqual(['store/repositories/journal.ts']);
  });
});
