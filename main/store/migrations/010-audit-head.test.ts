import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, headMac, verifyAuditChain, type AuditHead, type ChainedContent } from '../../audit/audit-chain';
import { chainHash009 } from './009-audit-chain';
import { m010AuditHead, unkeyedHeadMac010 } from './010-audit-head';
import { migrate } from './index';

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-migr-010-'));
  db = new Database(join(dir, 'store.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const head = () => db.prepare(`SELECT seq, hash, keyed_from AS keyedFrom, mac FROM audit_head`).all() as AuditHead[];
const rows = () =>
  db.prepare(`SELECT seq, at, actor, action, patient_id AS patientId, detail, hash FROM audit_log ORDER BY seq`).all() as (ChainedContent & {
    hash: string | null;
  })[];

describe('migration 010: signed head of the audit trail', () => {
  it('carries a frozen copy of the unkeyed head MAC, equal to the live one on a known vector', () => {
    const h = 'a'.repeat(64);
    const vector = '681c9f6723c19589a4c45dc13b84be0dbcb3ce431d0c55882863088a3b457ca0';
    expect(unkeyedHeadMac010(3, h, null)).toBe(vector);
    // The live code signs (unkeyed) the heads this migration wrote: it must give the same MAC.
    expect(headMac(null, { seq: 3, hash: h, keyedFrom: null })).toBe(vector);
    expect(m010AuditHead.version).toBe(10);
  });

  it('an empty trail gets the genesis head; the other tables are kept', () => {
    migrate(db, 9);
    db.prepare(`INSERT INTO drafts VALUES ('p1', 'texte', 't')`).run();
    migrate(db, 10);
    expect(db.prepare('SELECT count(*) AS n FROM drafts').get()).toEqual({ n: 1 });
    expect(head()).toEqual([{ seq: 0, hash: GENESIS_HASH, keyedFrom: null, mac: unkeyedHeadMac010(0, GENESIS_HASH, null) }]);
    expect(verifyAuditChain(rows(), { key: null, head: head()[0]! })).toEqual({ ok: true, checked: 0 });
  });

  it('a chained trail from 009 gets a head on its last row and stays verifiable; the head cannot be deleted', () => {
    migrate(db, 9);
    let previous = GENESIS_HASH;
    const insert = db.prepare(`INSERT INTO audit_log (seq, at, actor, action, patient_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (const seq of [1, 2, 3]) {
      const r = { seq, at: `2026-01-01T08:0${seq}:00.000Z`, actor: '89970010101', action: 'patient.open', patientId: `p${seq}`, detail: 'ui' };
      previous = chainHash009(previous, r);
      insert.run(r.seq, r.at, r.actor, r.action, r.patientId, r.detail, previous);
    }
    migrate(db);
    expect(head()).toEqual([{ seq: 3, hash: previous, keyedFrom: null, mac: unkeyedHeadMac010(3, previous, null) }]);
    expect(verifyAuditChain(rows(), { key: null, head: head()[0]! })).toEqual({ ok: true, checked: 3 });
    expect(() => db.prepare(`DELETE FROM audit_head`).run()).toThrow(/cannot be deleted/);
    expect(() => db.prepare(`INSERT INTO audit_head (id, seq, hash, mac) VALUES (2, 0, 'x', 'y')`).run()).toThrow(/CHECK/);
  });
});
