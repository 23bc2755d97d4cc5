import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH, verifyAuditChain, type ChainedContent } from '../../audit/audit-chain';
import { chainHash009, m009AuditChain } from './009-audit-chain';
import { migrate } from './index';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-migr-009-'));
  db = new Database(join(dir, 'store.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () =>
  db.prepare(`SELECT seq, at, actor, action, patient_id AS patientId, detail, hash FROM audit_log ORDER BY seq`).all() as (ChainedContent & {
    hash: string | null;
  })[];

describe('migration 009: audit trail integrity chain', () => {
  it('carries a frozen copy of the chain link, equal to the live one on a known vector', () => {
    const row1 = { seq: 1, at: '2026-01-01T08:00:00.000Z', actor: '89970010101', action: 'patient.open', patientId: 'p1', detail: 'ui' };
    const row2 = { seq: 2, at: '2026-01-01T08:06:00.000Z', actor: '89970010101', action: 'settings.follow-lgc.off', patientId: null, detail: null };
    const h1 = '019495d3f1596004dde31f8cff0ed84bd543ab299569abd67c66f883db8b7184';
    const h2 = '5215c9a4badd6f0608fb84fff63fd69c285e0e2eb1267546fadf0d5c477b5975';
    expect(chainHash009(GENESIS_HASH, row1)).toBe(h1);
    expect(chainHash009(h1, row2)).toBe(h2);
    // The store's live code continues the chains this migration wrote: it must give the same links.
    expect(chainHash(GENESIS_HASH, row1)).toBe(h1);
    expect(chainHash(h1, row2)).toBe(h2);
    expect(m009AuditChain.version).toBe(9);
  });

  it('adds the hash column to an empty trail and keeps the other tables', () => {
    migrate(db, 8);
    db.prepare(`INSERT INTO drafts VALUES ('p1', 'texte', 't')`).run();
    migrate(db, 9);
    expect(db.prepare('SELECT count(*) AS n FROM drafts').get()).toEqual({ n: 1 });
    expect((db.prepare(`PRAGMA table_info(audit_log)`).all() as { name: string }[]).map((c) => c.name)).toContain('hash');
    expect(rows()).toEqual([]);
  });

  it('chains the rows already in the trail, in seq order, and keeps them append-only', () => {
    migrate(db, 6); // a store from before the chain (the audit table exists since 002)
    const insert = db.prepare(`INSERT INTO audit_log (at, actor, action, patient_id, detail) VALUES (?, ?, ?, ?, ?)`);
    insert.run('2026-01-01T08:00:00.000Z', '89970010101', 'patient.open', 'p1', 'ui');
    insert.run('2026-01-01T08:05:00.000Z', '89970010101', 'journal.post', 'p1', '{"kind":"text"}');
    insert.run('2026-01-01T08:06:00.000Z', '89970010101', 'settings.follow-lgc.off', null, null);
    migrate(db);

    const chained = rows();
    expect(chained).toHaveLength(3);
    expect(chained[0]!.hash).toBe(chainHash(GENESIS_HASH, chained[0]!));
    expect(chained[1]!.hash).toBe(chainHash(chained[0]!.hash!, chained[1]!));
    expect(chained[2]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyAuditChain(chained)).toEqual({ ok: true, checked: 3 });

    // The UPDATE / DELETE refusals of 002 survive the migration (it lifts them only inside its transaction).
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
  });

  it('refuses a new row without its chain hash (every writer goes through LocalStore.audit)', () => {
    migrate(db);
    expect(() =>
      db.prepare(`INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01T00:00:00Z', 'a', 'patient.open')`).run(),
    ).toThrow(/chain hash/);
    expect(() => db.prepare(`INSERT INTO audit_log (at, actor, action, hash) VALUES ('t', 'a', 'x', 'short')`).run()).toThrow(/chain hash/);
  });
});
