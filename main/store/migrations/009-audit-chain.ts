import { createHash } from 'node:crypto';
import type { Migration } from './index';

const APPEND_ONLY = `SELECT RAISE(ABORT, 'audit_log is append-only')`;

/**
 * Frozen copy of the chain link as it was when this migration was written (main/audit/
 * audit-chain.ts then): SHA-256 of the previous hash, "\n", and the row as a JSON array. A
 * migration must not import live code — changing that code would rewrite what this migration did
 * to stores that already ran it. The live code has to keep producing the same links, or the
 * chains written here would stop verifying; 009-audit-chain.test.ts pins both to one vector.
 */
const GENESIS_HASH = '0'.repeat(64);

interface AuditRow009 {
  seq: number;
  at: string;
  actor: string;
  action: string;
  patientId: string | null;
  detail: string | null;
}

export function chainHash009(previousHash: string, r: AuditRow009): string {
  const content = JSON.stringify([r.seq, r.at, r.actor, r.action, r.patientId, r.detail]);
  return createHash('sha256').update(previousHash).update('\n').update(content).digest('hex');
}

/**
 * Chains the audit trail: a `hash` column, the rows already there chained in seq order, and a
 * trigger refusing any new row without a well-formed hash, so every writer has to go through the
 * store's audit repository (which computes it). The UPDATE/DELETE triggers of 002 are re-created
 * here: the update one is lifted only inside this transaction to fill the column.
 */
export const m009AuditChain: Migration = {
  version: 9,
  name: 'audit trail integrity chain (SHA-256 of previous hash + row)',
  up(db) {
    db.exec(`
      ALTER TABLE audit_log ADD COLUMN hash TEXT;
      DROP TRIGGER IF EXISTS audit_log_no_update;
      DROP TRIGGER IF EXISTS audit_log_no_delete;
    `);
    const rows = db
      .prepare(`SELECT seq, at, actor, action, patient_id AS patientId, detail FROM audit_log ORDER BY seq`)
      .all() as AuditRow009[];
    const set = db.prepare(`UPDATE audit_log SET hash = ? WHERE seq = ?`);
    let previous = GENESIS_HASH;
    for (const row of rows) {
      previous = chainHash009(previous, row);
      set.run(previous, row.seq);
    }
    db.exec(`
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN ${APPEND_ONLY}; END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN ${APPEND_ONLY}; END;
      CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log
        WHEN NEW.hash IS NULL OR length(NEW.hash) <> 64
        BEGIN SELECT RAISE(ABORT, 'audit_log rows must carry their chain hash'); END;
    `);
  },
};
