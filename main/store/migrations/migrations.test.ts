import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, migrate } from './index';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-migr-'));
  db = new Database(join(dir, 'store.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const tables = () =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type='table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('are frozen: a migration imports nothing but Node built-ins and the Migration type', () => {
    const files = readdirSync(import.meta.dirname).filter((f) => /^\d{3}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(files).toHaveLength(MIGRATIONS.length);
    for (const file of files) {
      const source = readFileSync(join(import.meta.dirname, file), 'utf8');
      const imports = [...source.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
      expect(imports.filter((from) => !from!.startsWith('node:') && from !== './index'), file).toEqual([]);
    }
  });

  it('001 creates the journal tables and its paging index', () => {
    expect(migrate(db, 1)).toBe(1);
    expect(tables()).toEqual(expect.arrayContaining(['patients', 'journal_entries', 'sync_state']));
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT json FROM journal_entries WHERE patient_id = ? ORDER BY date DESC, id DESC LIMIT 50`)
      .all('p1') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('journal_by_patient_date');
    expect(plan.map((p) => p.detail).join(' ')).not.toContain('TEMP B-TREE');
  });

  it('002 adds an append-only audit log and keeps the data of 001', () => {
    migrate(db, 1);
    db.prepare(`INSERT INTO journal_entries VALUES ('e1','p1','2026-01-01T00:00:00Z','text','1','{}')`).run();
    expect(migrate(db, 2)).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM journal_entries').get()).toEqual({ n: 1 });
    db.prepare(`INSERT INTO audit_log (at, actor, action, patient_id) VALUES ('t','a','patient.open','p1')`).run();
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
  });

  it('003 adds drafts, one per patient, and keeps the audit trail of 002', () => {
    migrate(db, 2);
    db.prepare(`INSERT INTO audit_log (at, actor, action, patient_id) VALUES ('t','a','patient.open','p1')`).run();
    expect(migrate(db, 3)).toBe(3);
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    db.prepare(`INSERT INTO drafts VALUES ('p1', 'texte', 't')`).run();
    expect(() => db.prepare(`INSERT INTO drafts VALUES ('p1', 'autre', 't')`).run()).toThrow(/UNIQUE/);
  });

  it('004 adds the outbox: one row per client id, in send order, with a status check', () => {
    migrate(db, 3);
    db.prepare(`INSERT INTO drafts VALUES ('p1', 'texte', 't')`).run();
    expect(migrate(db, 4)).toBe(4);
    expect(db.prepare('SELECT count(*) AS n FROM drafts').get()).toEqual({ n: 1 });
    const insert = db.prepare(
      `INSERT INTO outbox (client_id, kind, patient_id, payload, local_entry_id, created_at, updated_at) VALUES (?, 'journal-entry', 'p1', '{}', ?, 't', 't')`,
    );
    insert.run('c1', 'local-c1');
    insert.run('c2', 'local-c2');
    expect(() => insert.run('c1', 'local-c1')).toThrow(/UNIQUE/);
    expect(db.prepare(`SELECT client_id, status, attempts FROM outbox ORDER BY seq`).all()).toEqual([
      { client_id: 'c1', status: 'queued', attempts: 0 },
      { client_id: 'c2', status: 'queued', attempts: 0 },
    ]);
    expect(() => db.prepare(`UPDATE outbox SET status = 'lost'`).run()).toThrow(/CHECK/);
  });

  it('005 adds the panels cache and the alert watcher memory, keeping the drafts of 003', () => {
    migrate(db, 4);
    db.prepare(`INSERT INTO drafts VALUES ('p1', 'texte', 't')`).run();
    expect(migrate(db, 5)).toBe(5);
    expect(db.prepare('SELECT count(*) AS n FROM drafts').get()).toEqual({ n: 1 });
    expect(tables()).toEqual(expect.arrayContaining(['panels_cache', 'alerts_seen', 'alert_watch']));
    db.prepare(`INSERT INTO panels_cache VALUES ('p1', '{}', '2026-11-20T18:00:00Z')`).run();
    expect(() => db.prepare(`INSERT INTO panels_cache VALUES ('p1', '{}', 't')`).run()).toThrow(/UNIQUE/);
    db.prepare(`INSERT INTO alerts_seen (alert_id, patient_id, json) VALUES ('f1', 'p1', '{}')`).run();
    expect(() => db.prepare(`INSERT INTO alerts_seen (alert_id, patient_id, json) VALUES ('f1', 'p1', '{}')`).run()).toThrow(/UNIQUE/);
    db.prepare(`INSERT INTO alert_watch (id, watermark) VALUES (1, 'w')`).run();
    expect(() => db.prepare(`INSERT INTO alert_watch (id, watermark) VALUES (2, 'w')`).run()).toThrow(/CHECK/);
  });

  it('006 indexes existing entries for full-text search and derives the filter columns', () => {
    migrate(db, 3);
    db.prepare(
      `INSERT INTO journal_entries VALUES ('e1','p1','2026-01-01T00:00:00Z','text','1', ?)`,
    ).run(JSON.stringify({ text: 'Pansement refait', author: { id: 'a1', name: 'Sophie LAMOTHE', roleLabel: 'Infirmière' } }));
    expect(migrate(db, 6)).toBe(6);
    expect(db.prepare(`SELECT rowid FROM journal_fts WHERE journal_fts MATCH 'pansement'`).all()).toHaveLength(1);
    expect(db.prepare(`SELECT author_id, role_label FROM journal_entries`).get()).toEqual({ author_id: 'a1', role_label: 'Infirmière' });
    expect(tables()).toEqual(expect.arrayContaining(['entry_flags', 'sync_progress']));
  });

  it('007 derives the confidentiality column from the stored JSON (absent before roles: NULL, read as normal)', () => {
    migrate(db, 6);
    const insert = db.prepare(`INSERT INTO journal_entries VALUES (?, 'p1', '2026-01-01T00:00:00Z', 'text', '1', ?)`);
    insert.run('before-roles', JSON.stringify({ text: 'ancienne', author: { id: 'a1', name: 'A', roleLabel: 'Infirmière' } }));
    expect(migrate(db, 7)).toBe(7);
    insert.run('medical', JSON.stringify({ text: 'secret', confidentiality: 'medical', author: { id: 'a1', name: 'A', roleLabel: 'Médecin' } }));
    expect(db.prepare(`SELECT id, confidentiality FROM journal_entries ORDER BY id`).all()).toEqual([
      { id: 'before-roles', confidentiality: null },
      { id: 'medical', confidentiality: 'medical' },
    ]);
    // The 006 derived columns and the full-text index still follow the JSON.
    expect(db.prepare(`SELECT count(*) AS n FROM journal_fts WHERE journal_fts MATCH 'secret'`).get()).toEqual({ n: 1 });
  });

  it('008 adds the prescription drafts, one per patient, keeping the journal drafts of 003', () => {
    migrate(db, 7);
    db.prepare(`INSERT INTO drafts VALUES ('p1', 'texte', 't')`).run();
    expect(migrate(db, 8)).toBe(8);
    expect(db.prepare('SELECT count(*) AS n FROM drafts').get()).toEqual({ n: 1 });
    const insert = db.prepare(`INSERT INTO prescription_drafts (patient_id, json, updated_at) VALUES (?, ?, ?)`);
    insert.run('p1', '{"lines":[],"weightKg":""}', '2026-03-12T10:00:00.000Z');
    expect(() => insert.run('p1', '{}', 't')).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO prescription_drafts (patient_id, json) VALUES ('p2', '{}')`).run()).toThrow(/NOT NULL/);
  });

  it('is idempotent and refuses a schema newer than the code', () => {
    expect(migrate(db)).toBe(LATEST_VERSION);
    expect(migrate(db)).toBe(LATEST_VERSION);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer/);
  });

  it('rolls back a failing migration as a whole', () => {
    db.exec('CREATE TABLE patients (x)'); // makes 001 fail half-way
    expect(() => migrate(db)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables()).not.toContain('journal_entries');
  });
});
