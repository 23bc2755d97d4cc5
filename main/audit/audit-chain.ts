/**
 * Integrity chain of the audit trail (PGSSI-S: integrity-protected access traces).
 *
 * Each row of `audit_log` stores a link over the previous row's link and its own canonical
 * content, the first row chaining from GENESIS_HASH:
 * - rows from `keyedFrom` on: HMAC-SHA-256 with the professional's audit key, kept in the
 *   SecretStore beside the store key (account `audit-key:<id>`, main/profiles). Without the key
 *   nobody can recompute a link, so deleting or editing a row and re-hashing the rest is found.
 * - rows before it (written before migration 010, or in a plain store without a keychain):
 *   SHA-256 as migration 009 wrote them. This proves less: anyone who can write the file can
 *   recompute them; it only catches careless edits and corruption.
 * The newest row is pinned by a signed head (table `audit_head`, migration 010): its seq, its
 * link and `keyedFrom`, MACed with the same key. Cutting rows off the end leaves a head that
 * names a row that is no longer there, and forging the head needs the key. What this cannot
 * prove is in docs/secrets.md (someone holding the key, i.e. the user's open keychain, can
 * rewrite everything; a whole-file rollback to an older copy keeps a consistent older head).
 */
import { createHash, createHmac } from 'node:crypto';

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

/** The unkeyed link (migration 009, and the fallback of a store without a keychain). */
export function chainHash(previousHash: string, row: ChainedContent): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalAuditContent(row)).digest('hex');
}

/** The keyed link: the same message as chainHash, under HMAC-SHA-256 with the audit key. */
export function keyedChainHash(key: Buffer, previousHash: string, row: ChainedContent): string {
  return createHmac('sha256', key).update(previousHash).update('\n').update(canonicalAuditContent(row)).digest('hex');
}

/** The signed head of the trail (table audit_head, one row). */
export interface AuditHead {
  /** seq of the newest row (0: empty trail). */
  seq: number;
  /** Its link (GENESIS_HASH: empty trail). */
  hash: string;
  /** First seq linked with the key; null while the store has never had one (plain store, or before 010). */
  keyedFrom: number | null;
  mac: string;
}

/**
 * MAC of the head: HMAC-SHA-256 with the key once the trail is keyed, else plain SHA-256 (which
 * only catches a careless truncation). Its own prefix keeps it apart from any row link.
 */
export function headMac(key: Buffer | null, head: Omit<AuditHead, 'mac'>): string {
  const text = `relais-audit-head\n${JSON.stringify([head.seq, head.hash, head.keyedFrom])}`;
  return key ? createHmac('sha256', key).update(text).digest('hex') : createHash('sha256').update(text).digest('hex');
}

/** The link of `row` as the head says it must be written (keyed from `keyedFrom` on). */
export function linkFor(key: Buffer | null, keyedFrom: number | null, previousHash: string, row: ChainedContent): string {
  if (keyedFrom !== null && row.seq >= keyedFrom) {
    if (!key) throw new Error('the audit trail is keyed and its key is missing');
    return keyedChainHash(key, previousHash, row);
  }
  return chainHash(previousHash, row);
}

/** Whether the head's MAC is right for what it says, under `key` (or unkeyed when it was never keyed). */
export function headIsAuthentic(key: Buffer | null, head: AuditHead): boolean {
  if (head.keyedFrom === null) return key === null && head.mac === headMac(null, head);
  return key !== null && head.mac === headMac(key, head);
}

export type ChainVerdict =
  | { ok: true; checked: number }
  /** `line`: 1-based position in the trail, oldest first (the CSV export's data line); one past the end when rows were cut off. */
  | { ok: false; checked: number; line: number; seq: number };

/** What the trail is checked against: the audit key (null in a plain store) and the stored head. */
export interface ChainTrust {
  key: Buffer | null;
  head: AuditHead | null;
}

/**
 * Walks the rows oldest first (seq order) and answers ok or the first row whose link does not
 * match. With `trust` (every store since migration 010): the links from `keyedFrom` on are keyed,
 * and the head must be authentic and name the last row, so rows cut off the end are found
 * (reported one line past the end). A head that is missing, not signed although the professional
 * has a key, or whose MAC is wrong, fails at line 1: nothing in the trail can be vouched for.
 */
export function verifyAuditChain(rows: Iterable<ChainedContent & { hash: string | null }>, trust?: ChainTrust): ChainVerdict {
  const head = trust?.head ?? null;
  if (trust && (!head || !headIsAuthentic(trust.key, head))) return { ok: false, checked: 0, line: 1, seq: 1 };
  const key = trust?.key ?? null;
  const keyedFrom = head?.keyedFrom ?? null;
  let previous = GENESIS_HASH;
  let last = 0;
  let line = 0;
  for (const row of rows) {
    line++;
    const expected = linkFor(key, keyedFrom, previous, row);
    if (row.hash !== expected) return { ok: false, checked: line - 1, line, seq: row.seq };
    previous = expected;
    last = row.seq;
  }
  if (head && (head.seq !== last || head.hash !== previous)) return { ok: false, checked: line, line: line + 1, seq: last + 1 };
  return { ok: true, checked: line };
}
