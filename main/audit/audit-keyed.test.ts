import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { openSqlite } from '../store/encryption';
import { Profiles } from '../profiles/profiles';
import { LocalStore } from '../store/store';
import { chainHash, GENESIS_HASH, headMac, type ChainedContent } from './audit-chain';

/**
 * Issue 11, item 9: the chain alone (SHA-256) let anyone who can write the file delete a row and
 * recompute every later hash. With the audit key (HMAC) and the signed head, these attacks by
 * someone holding the file but not the key are found; the last test pins what a plain store
 * (no keychain) still cannot prove.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function storeFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relais-audit-keyed-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

const ACTOR = '99700001011';
function fill(store: LocalStore, n = 5): void {
  for (let i = 1; i <= n; i++) store.audit(ACTOR, 'patient.open', `pat-0${i}`, 'ui');
}

type Row = ChainedContent;

/**
 * The attacker of the issue: a raw connection, triggers dropped, a row deleted, then every link
 * after it and the head recomputed with the only formula one can compute without the key.
 */
function deleteAndRehash(db: Database.Database, seq: number): void {
  db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_head_no_delete;`);
  db.prepare(`DELETE FROM audit_log WHERE seq = ?`).run(seq);
  const rows = db.prepare(`SELECT seq, at, actor, action, patient_id AS patientId, detail FROM audit_log ORDER BY seq`).all() as Row[];
  let previous = GENESIS_HASH;
  for (const r of rows) {
    previous = chainHash(previous, r);
    db.prepare(`UPDATE audit_log SET hash = ? WHERE seq = ?`).run(previous, r.seq);
  }
  const last = rows.at(-1)!.seq;
  // Keyed head, forged as best one can: keeps keyed_from, MAC recomputed unkeyed.
  const head = db.prepare(`SELECT keyed_from AS keyedFrom FROM audit_head`).get() as { keyedFrom: number | null };
  db.prepare(`UPDATE audit_head SET seq = ?, hash = ?, mac = ?`).run(last, previous, headMac(null, { seq: last, hash: previous, keyedFrom: head.keyedFrom }));
}

/** Cuts the newest rows off the end (what hides the last accesses), head left as it is. */
function truncate(db: Database.Database, fromSeq: number): void {
  db.exec(`DROP TRIGGER audit_log_no_delete;`);
  db.prepare(`DELETE FROM audit_log WHERE seq >= ?`).run(fromSeq);
}

describe('keyed audit chain (HMAC) with a signed head', () => {
  it('untouched: ok, every link keyed from the first row of a new profile, and it survives a reopen', async () => {
    const secrets = new MemorySecretStore();
    const profiles = new Profiles({ dataDir: mkdtempSync(join(tmpdir(), 'relais-audit-keyed-')), secretStore: secrets });
    const store = await profiles.open(ACTOR);
    fill(store);
    expect(store.auditLog.keyedFrom()).toBe(1);
    expect(store.verifyAudit()).toEqual({ ok: true, checked: 5 });
    // Not the unkeyed formula: nobody without the key can recompute these links.
    const [first] = store.auditTrail();
    expect(first!.hash).not.toBe(chainHash(GENESIS_HASH, first!));
    store.close();
    const again = await profiles.open(ACTOR);
    again.audit(ACTOR, 'patient.open', 'pat-09', 'ui');
    expect(again.verifyAudit()).toEqual({ ok: true, checked: 6 });
    again.close();
  });

  it('delete a row and recompute the hashes (and the head): verify fails (encrypted profile, attacker holds the store key only)', async () => {
    const secrets = new MemorySecretStore();
    const profiles = new Profiles({ dataDir: mkdtempSync(join(tmpdir(), 'relais-audit-keyed-')), secretStore: secrets });
    const store = await profiles.open(ACTOR);
    fill(store);
    store.close();
    const raw = openSqlite(profiles.storePath(ACTOR), { key: (await profiles.storeKey(ACTOR))! });
    deleteAndRehash(raw, 3);
    raw.close();
    const reopened = await profiles.open(ACTOR);
    expect(reopened.verifyAudit()).toMatchObject({ ok: false });
    reopened.close();
  });

  it('delete a row and recompute the hashes, head left alone: verify fails at the first re-hashed row', () => {
    const path = storeFile();
    const key = randomBytes(32);
    const store = new LocalStore(path, {}, { key, adopt: true });
    fill(store);
    store.close();
    const raw = new Database(path);
    raw.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`);
    raw.prepare(`DELETE FROM audit_log WHERE seq = 2`).run();
    const rows = raw.prepare(`SELECT seq, at, actor, action, patient_id AS patientId, detail FROM audit_log ORDER BY seq`).all() as Row[];
    let previous = GENESIS_HASH;
    for (const r of rows) {
      previous = chainHash(previous, r);
      raw.prepare(`UPDATE audit_log SET hash = ? WHERE seq = ?`).run(previous, r.seq);
    }
    raw.close();
    const reopened = new LocalStore(path, {}, { key });
    expect(reopened.verifyAudit()).toEqual({ ok: false, checked: 0, line: 1, seq: 1 });
    reopened.close();
  });

  it('truncate the newest rows: verify fails one line past the end, and later traces do not hide it', () => {
    const path = storeFile();
    const key = randomBytes(32);
    const store = new LocalStore(path, {}, { key, adopt: true });
    fill(store);
    store.close();
    const raw = new Database(path);
    truncate(raw, 4);
    raw.close();
    const reopened = new LocalStore(path, {}, { key });
    expect(reopened.verifyAudit()).toEqual({ ok: false, checked: 3, line: 4, seq: 4 });
    // The next trace links to the signed head (row 5), not to row 3: the gap stays visible.
    reopened.audit(ACTOR, 'audit.verify.failed', null, '{"line":4}');
    expect(reopened.verifyAudit()).toMatchObject({ ok: false, line: 4 });
    reopened.close();
  });

  it('a head rolled back by hand (truncation + head rewritten without the key) fails at line 1', () => {
    const path = storeFile();
    const key = randomBytes(32);
    const store = new LocalStore(path, {}, { key, adopt: true });
    fill(store);
    const third = store.auditTrail()[2]!;
    store.close();
    const raw = new Database(path);
    truncate(raw, 4);
    raw.prepare(`UPDATE audit_head SET seq = 3, hash = ?, mac = ?`).run(third.hash, headMac(null, { seq: 3, hash: third.hash!, keyedFrom: 1 }));
    raw.close();
    const reopened = new LocalStore(path, {}, { key });
    expect(reopened.verifyAudit()).toEqual({ ok: false, checked: 0, line: 1, seq: 1 });
    reopened.close();
  });

  it('stripping the signature (keyed_from set back to NULL) is not adopted again by an existing key', () => {
    const path = storeFile();
    const key = randomBytes(32);
    const store = new LocalStore(path, {}, { key, adopt: true });
    fill(store, 2);
    store.close();
    const raw = new Database(path);
    const head = raw.prepare(`SELECT seq, hash FROM audit_head`).get() as { seq: number; hash: string };
    raw.prepare(`UPDATE audit_head SET keyed_from = NULL, mac = ?`).run(headMac(null, { ...head, keyedFrom: null }));
    raw.close();
    const reopened = new LocalStore(path, {}, { key }); // the key exists already: adopt is false
    expect(reopened.verifyAudit()).toMatchObject({ ok: false, line: 1 });
    reopened.audit(ACTOR, 'patient.open', 'pat-03');
    expect(reopened.verifyAudit()).toMatchObject({ ok: false });
    reopened.close();
  });

  it('a store from before the key: the old rows stay verifiable, links are keyed from the next row on', () => {
    const path = storeFile();
    const plain = new LocalStore(path);
    fill(plain, 3);
    expect(plain.verifyAudit()).toEqual({ ok: true, checked: 3 });
    plain.close();
    const key = randomBytes(32);
    const keyed = new LocalStore(path, {}, { key, adopt: true });
    expect(keyed.auditLog.keyedFrom()).toBe(4);
    keyed.audit(ACTOR, 'patient.open', 'pat-04');
    expect(keyed.verifyAudit()).toEqual({ ok: true, checked: 4 });
    keyed.close();
    // Opened without its key, a keyed trail cannot be vouched for.
    const keyless = new LocalStore(path);
    expect(keyless.verifyAudit()).toMatchObject({ ok: false, line: 1 });
    keyless.close();
  });

  it('plain store (no keychain): truncation is found, but a full recompute is not — the documented limit of the fallback', () => {
    const path = storeFile();
    const store = new LocalStore(path);
    fill(store);
    store.close();
    let raw = new Database(path);
    truncate(raw, 5);
    raw.close();
    let reopened = new LocalStore(path);
    expect(reopened.verifyAudit()).toEqual({ ok: false, checked: 4, line: 5, seq: 5 });
    reopened.close();

    const path2 = storeFile();
    const s2 = new LocalStore(path2);
    fill(s2);
    s2.close();
    raw = new Database(path2);
    deleteAndRehash(raw, 3);
    raw.close();
    reopened = new LocalStore(path2);
    expect(reopened.verifyAudit()).toEqual({ ok: true, checked: 4 });
    reopened.close();
  });
});
