/**
 * Medical entries in a real SQLite store: a store opened for a role without journal.read-medical
 * (hideMedical) neither keeps them nor lets them show through pages, search, facets or counts;
 * rows stored before migration 007 (no confidentiality) read as normal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../contract';
import { LocalStore } from './store';

let dir: string;

const entry = (i: number, confidentiality?: 'medical' | 'normal'): JournalEntry => ({
  id: `e${i}`,
  patientId: 'p1',
  kind: 'text',
  date: `2026-01-${String(10 + i).padStart(2, '0')}T09:00:00.000Z`,
  author: { id: i % 2 ? 'gp' : 'nurse', name: i % 2 ? 'Dr Hélène DUFAU' : 'Sophie LAMOTHE', roleLabel: i % 2 ? 'Médecin généraliste' : 'Infirmière' },
  text: i % 2 ? `diagnostic insuffisance cardiaque ${i}` : `pansement ${i}`,
  attachments: [],
  urgent: false,
  version: '1',
  ...(confidentiality ? { confidentiality } : {}),
});
// e1, e3 medical (the physician's); e0, e2 normal; e4 without the field (stored before 007).
const entries = [entry(0, 'normal'), entry(1, 'medical'), entry(2, 'normal'), entry(3, 'medical'), entry(4)];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-conf-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('confidentiality in the store', () => {
  it('a physician store keeps and shows every entry', () => {
    const store = new LocalStore(join(dir, 'gp.db'));
    store.upsertEntries(entries);
    const page = store.page('p1', undefined, 50);
    expect(page.total).toBe(5);
    expect(page.entries.filter((e) => e.confidentiality === 'medical').map((e) => e.id)).toEqual(['e3', 'e1']);
    store.close();
  });

  it("a secretary's store drops medical entries on the way in and hides any already there", () => {
    const path = join(dir, 'sec.db');
    // Written once without the flag (e.g. a store from before roles), then reopened for a secretary.
    const before = new LocalStore(path);
    before.upsertEntries(entries);
    before.close();
    const store = new LocalStore(path);
    store.hideMedical = true;
    store.upsertEntries([entry(5, 'medical'), entry(6)]);
    const page = store.page('p1', undefined, 50);
    expect(page.entries.map((e) => e.id)).toEqual(['e6', 'e4', 'e2', 'e0']);
    expect(page.total).toBe(4);
    expect(store.countEntries('p1')).toBe(4);
    expect(store.page('p1', undefined, 50, { query: 'diagnostic' }).entries).toEqual([]);
    expect(store.page('p1', undefined, 50, { authorIds: ['gp'] }).total).toBe(0);
    const facets = store.facets('p1');
    expect(facets.authors.map((a) => a.id)).toEqual(['nurse']);
    expect(facets.kinds).toEqual([{ kind: 'text', count: 4 }]);
    store.close();
  });
});
