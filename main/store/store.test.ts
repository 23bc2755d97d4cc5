import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry, Patient } from '../../contract';
import { LocalStore } from './store';

let dir: string;
let store: LocalStore;

const patient: Patient = {
  id: 'p1',
  ins: { value: '295109912611193', oid: '1.2.250.1.213.1.4.10' },
  birthName: 'DUPONT',
  firstNames: ['Marie'],
  birthDate: '1995-10-12',
  sex: 'F',
  identityStatus: 'QUAL',
};

function entry(i: number, date: string): JournalEntry {
  return {
    id: `e${String(i).padStart(4, '0')}`,
    patientId: 'p1',
    kind: 'text',
    date,
    author: { id: 'r1', name: 'Inf. Martin', roleLabel: 'Infirmière' },
    text: `note ${i}`,
    attachments: [],
    urgent: false,
    version: '1',
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-store-'));
  store = new LocalStore(join(dir, 'sub', 'store.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LocalStore', () => {
  it('keeps patients by id and INS across reopening the file', () => {
    store.upsertPatient(patient);
    store.close();
    store = new LocalStore(join(dir, 'sub', 'store.db'));
    expect(store.getPatient('p1')).toEqual(patient);
    expect(store.findPatientByIns('295109912611193')?.id).toBe('p1');
    expect(store.findPatientByIns('000000000000000')).toBeNull();
  });

  it('pages the journal newest first without gaps or duplicates, ties broken by id', () => {
    const entries = Array.from({ length: 25 }, (_, i) =>
      entry(i, `2026-01-${String(1 + Math.floor(i / 2)).padStart(2, '0')}T10:00:00.000Z`),
    );
    expect(store.upsertEntries(entries)).toBe(25);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.page('p1', cursor, 10);
      expect(page.total).toBe(25);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const expected = [...entries].sort((a, b) => (a.date === b.date ? b.id.localeCompare(a.id) : b.date.localeCompare(a.date)));
    expect(seen).toEqual(expected.map((e) => e.id));
  });

  it('does not rewrite an entry whose version did not change, updates one that did', () => {
    store.upsertEntries([entry(1, '2026-01-01T00:00:00Z')]);
    expect(store.upsertEntries([entry(1, '2026-01-01T00:00:00Z')])).toBe(0);
    expect(store.upsertEntries([{ ...entry(1, '2026-01-01T00:00:00Z'), text: 'corrigé', version: '2' }])).toBe(1);
    expect(store.page('p1', undefined, 5).entries[0]?.text).toBe('corrigé');
  });

  it('forgets one patient journal without touching another', () => {
    store.upsertEntries([entry(1, '2026-01-01T00:00:00Z'), { ...entry(2, '2026-01-01T00:00:00Z'), patientId: 'p2' }]);
    store.setSyncedAt('p1', '2026-01-02T00:00:00Z');
    store.forgetJournal('p1');
    expect(store.countEntries('p1')).toBe(0);
    expect(store.getSyncedAt('p1')).toBeNull();
    expect(store.countEntries('p2')).toBe(1);
  });

  it('rejects a forged cursor with a typed error', () => {
    expect(() => store.page('p1', 'not-a-cursor', 5)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('keeps one draft per patient across reopening, and clears it when emptied', () => {
    expect(store.getDraft('p1')).toBeNull();
    store.saveDraft('p1', 'Bonjour Sophie,', '2026-01-01T10:00:00Z');
    store.saveDraft('p2', 'Autre patient', '2026-01-01T10:01:00Z');
    store.saveDraft('p1', 'Bonjour Sophie, pouvez-vous', '2026-01-01T10:02:00Z');
    store.close();
    store = new LocalStore(join(dir, 'sub', 'store.db'));
    expect(store.getDraft('p1')).toEqual({ patientId: 'p1', text: 'Bonjour Sophie, pouvez-vous', updatedAt: '2026-01-01T10:02:00Z' });
    expect(store.getDraft('p2')?.text).toBe('Autre patient');
    expect(store.saveDraft('p1', '   ')).toBeNull();
    expect(store.getDraft('p1')).toBeNull();
  });

  it('records the sync time and an audit trail', () => {
    expect(store.getSyncedAt('p1')).toBeNull();
    store.setSyncedAt('p1', '2026-01-02T00:00:00Z');
    expect(store.getSyncedAt('p1')).toBe('2026-01-02T00:00:00Z');
    store.audit('899700000001', 'patient.open', 'p1', 'launch');
    expect(store.auditTrail()).toEqual([expect.objectContaining({ actor: '899700000001', action: 'patient.open', patientId: 'p1' })]);
  });
});
