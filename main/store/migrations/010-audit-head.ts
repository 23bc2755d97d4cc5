import { createHash } from 'node:crypto';
import type { Migration } from './index';

/**
 * Frozen copy of the head MAC as it was when this migration was written (main/audit/
 * audit-chain.ts, `headMac` without a key): SHA-256 of "relais-audit-head\n" and the head as a
 * JSON array. A migration must not import live code; 010-audit-head.test.ts pins both to one vector.
 */
const GENESIS_HASH = '0'.repeat(64);

export function unkeyedHeadMac010(seq: number, hash: string, keyedFrom: number | null): string {
  return createHash('sha256').update(`relais-audit-head\n${JSON.stringify([seq, hash, keyedFrom])}`).digest('hex');
}

/**
 * The signed head of the audit trail: one row naming the newest trace (seq and link) and from
 * which seq the links are keyed (HMAC with the professional's audit key). Written here unkeyed
 * over the trail as it stands (no key exists in a migration); the store signs it with the key the
 * first time the professional's profile opens with one, and every later row is keyed. The head
 * cannot be deleted (trigger) and is rewritten only by the store's audit repository.
 */
export const m010AuditHead: Migration = {
  version: 10,
  name: 'signed head of the audit trail (truncation detection, keyed chain from here on)',
  up(db) {
    db.exec(`
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        keyed_from INTEGER,
        mac TEXT NOT NULL
      );
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;
    `);
    const last = db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string | null } | undefined;
    const seq = last?.seq ?? 0;
    const hash = last?.hash ?? GENESIS_HASH;
    db.prepare(`INSERT INTO audit_head (id, seq, hash, keyed_from, mac) VALUES (1, ?, ?, NULL, ?)`).run(seq, hash, unkeyedHeadMac010(seq, hash, null));
  },
};
