import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API } from '../../contract';
import { startSandbox } from '../../sandbox/server';
import { createApiDispatcher } from '../api/dispatch';
import { composeCore } from '../compose';
import { DEMO_GP_RPPS } from '../config/demo-identity';
import { LocalStore } from '../store/store';
import { chainHash } from './audit-chain';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function storeFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relais-audit-chain-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

/** What an intruder with file access would do: a raw connection, triggers dropped, then the edit. */
function tamper(path: string, sql: string, ...params: unknown[]): void {
  const raw = new Database(path);
  raw.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;`);
  raw.prepare(sql).run(...params);
  raw.close();
}

function fillTrail(store: LocalStore): void {
  store.audit('99700001011', 'patient.open', 'pat-01', 'ui');
  store.audit('99700001011', 'journal.post', 'pat-01', '{"kind":"text"}');
  store.audit('99700001011', 'patient.open', 'pat-02', 'url');
  store.audit('99700001011', 'settings.follow-lgc.off', null);
}

describe('audit trail integrity chain (real SQLite file)', () => {
  it('an untouched trail verifies; every row carries a distinct SHA-256 link', () => {
    const path = storeFile();
    const store = new LocalStore(path);
    fillTrail(store);
    expect(store.verifyAudit()).toEqual({ ok: true, checked: 4 });
    const hashes = store.auditTrail().map((r) => r.hash);
    expect(new Set(hashes).size).toBe(4);
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/);
    store.close();
    // Reopened (migrations re-run idempotently), the chain continues from the stored head.
    const again = new LocalStore(path);
    again.audit('99700001011', 'patient.open', 'pat-03', 'ui');
    expect(again.verifyAudit()).toEqual({ ok: true, checked: 5 });
    again.close();
  });

  it('the storage layer refuses UPDATE and DELETE on the trail', () => {
    const path = storeFile();
    const store = new LocalStore(path);
    fillTrail(store);
    // The store hands no connection out: a second one on the same file meets the same triggers.
    const raw = new Database(path);
    expect(() => raw.prepare(`UPDATE audit_log SET patient_id = 'pat-99' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => raw.prepare(`DELETE FROM audit_log WHERE seq = 2`).run()).toThrow(/append-only/);
    raw.close();
    expect(store.auditTrail()).toHaveLength(4);
    store.close();
  });

  it('a row altered through a raw connection is found: first broken line reported', () => {
    const path = storeFile();
    const store = new LocalStore(path);
    fillTrail(store);
    store.close();
    tamper(path, `UPDATE audit_log SET patient_id = 'pat-99' WHERE seq = 3`);
    const reopened = new LocalStore(path);
    expect(reopened.verifyAudit()).toEqual({ ok: false, checked: 2, line: 3, seq: 3 });
    reopened.close();
  });

  it('a deleted row is found (the next row no longer links), and so is a re-hashed forgery of one row', () => {
    const path = storeFile();
    const store = new LocalStore(path);
    fillTrail(store);
    store.close();
    tamper(path, `DELETE FROM audit_log WHERE seq = 2`);
    const reopened = new LocalStore(path);
    expect(reopened.verifyAudit()).toMatchObject({ ok: false, line: 2, seq: 3 });
    reopened.close();

    // Recomputing the hash of the edited row is not enough: the following row still points at the old one.
    const path2 = storeFile();
    const s2 = new LocalStore(path2);
    fillTrail(s2);
    const original = s2.auditTrail()[1]!;
    s2.close();
    const reader = new LocalStore(path2);
    const previous = reader.auditTrail()[0]!.hash!;
    reader.close();
    const forged = { ...original, patientId: 'pat-99' };
    tamper(path2, `UPDATE audit_log SET patient_id = 'pat-99', hash = ? WHERE seq = 2`, chainHash(previous, forged));
    const s3 = new LocalStore(path2);
    expect(s3.verifyAudit()).toMatchObject({ ok: false, line: 3, seq: 3 });
    s3.close();
  });

  it('audit.verify and the CSV export (with its Empreinte column) through the API', async () => {
    const sandbox = await startSandbox({ port: 0, seed: 1 });
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-audit-api-'));
    dirs.push(dataDir);
    let comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true });
    try {
      let dispatch = createApiDispatcher(comp.core);
      await dispatch('settings.followLgc', { enabled: false });
      await dispatch('settings.followLgc', { enabled: true });
      const verified = await dispatch('audit.verify', {});
      expect(verified).toMatchObject({ ok: true, value: { ok: true } });
      expect(API['audit.verify'].response.parse((verified as { value: unknown }).value)).toMatchObject({ ok: true });

      const csv = (await dispatch('audit.exportCsv', {})) as { ok: true; value: string };
      const lines = csv.value.split('\r\n');
      expect(lines[0]).toBe('Date,Professionnel,Action,Patient,Détail,Empreinte');
      expect(lines[1]).toMatch(/,settings\.follow-lgc\.off,,,[0-9a-f]{64}$/);

      const storePath = comp.store.path;
      await comp.close();
      tamper(storePath, `UPDATE audit_log SET action = 'settings.follow-lgc.on' WHERE seq = 1`);
      comp = await composeCore({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true });
      dispatch = createApiDispatcher(comp.core);
      expect(await dispatch('audit.verify', {})).toMatchObject({ ok: true, value: { ok: false, line: 1, seq: 1 } });
      // The failed check is itself traced.
      const listed = (await dispatch('audit.list', { limit: 1 })) as { ok: true; value: { action: string }[] };
      expect(listed.value[0]!.action).toBe('audit.verify.failed');
    } finally {
      await comp.close();
      await sandbox.close();
    }
  });
});
