import { chainHash, GENESIS_HASH, type ChainedContent } from '../../audit/audit-chain';
import type { Migration } from './index';

const APPEND_ONLY = `SELECT RAISE(ABORT, 'audit_log is append-only')`;

/**
 * Chains the audit trail (main/audit/audit-chain.ts): a `hash` column, the rows already there
 * chained in seq order, and a trigger refusing any new row without a well-formed hash, so every
 * writer has to go through LocalStore.audit (which computes it). The UPDATE/DELETE triggers of 002
 * are re-created here: the update one is lifted only inside this transaction to fill the column.
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
      .all() as ChainedContent[];
    const set = db.prepare(`UPDATE audit_log SET hash = ? WHERE seq = ?`);
    let previous = GENESIS_HASH;
    for (const row of rows) {
      previous = chainHash(previous, row);
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
