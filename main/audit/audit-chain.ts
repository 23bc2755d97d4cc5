/**
 * Integrity chain of the audit trail (PGSSI-S: integrity-protected access traces).
 *
 * Each row of `audit_log` stores `hash = SHA-256(previous row's hash + "\n" + canonical content)`,
 * the first row chaining from GENESIS_HASH. Changing, inserting or deleting a row anywhere but at
 * the very end changes every later link, so `verifyAuditChain` finds the first row whose stored
 * hash no longer matches. The storage layer refuses UPDATE and DELETE (triggers of migrations 002
 * and 009); the chain is what still tells when someone bypassed them with a raw SQLite connection.
 * Limit: cutting the newest rows off the end leaves a valid (shorter) chain.
 */
import { createHash } from 'node:crypto';

/** The "previous hash" of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** What is hashed of a row: everything it says, the sequence number included (no renumbering). */
export interface ChainedContent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  patientId: string | null;
  detail: string | null;
}

/** A JSON array keeps field boundaries unambiguous (no "a|b" + "c" = "a" + "b|c" collisions) and null distinct from "". */
export function canonicalAuditContent(r: ChainedContent): string {
  return JSON.stringify([r.seq, r.at, r.actor, r.action, r.patientId, r.detail]);
}

export function chainHash(previousHash: string, row: ChainedContent): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalAuditContent(row)).digest('hex');
}

export type ChainVerdict =
  | { ok: true; checked: number }
  /** `line`: 1-based position in the trail, oldest first (the CSV export's data line). */
  | { ok: false; checked: number; line: number; seq: number };

/** Walks the rows oldest first (seq order) and answers ok or the first row whose hash does not match. */
export function verifyAuditChain(rows: Iterable<ChainedContent & { hash: string | null }>): ChainVerdict {
  let previous = GENESIS_HASH;
  let line = 0;
  for (const row of rows) {
    line++;
    const expected = chainHash(previous, row);
    if (row.hash !== expected) return { ok: false, checked: line - 1, line, seq: row.seq };
    previous = expected;
  }
  return { ok: true, checked: line };
}
