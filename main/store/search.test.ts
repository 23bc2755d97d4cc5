import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry, JournalKind } from '../../contract';
import { ftsQuery } from './journal-query';
import { LocalStore } from './store';

let dir: string;
let store: LocalStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-search-'));
  store = new LocalStore(join(dir, 'store.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function entry(id: string, day: number, text: string, author: [string, string, string], kind: JournalKind = 'text'): JournalEntry {
  return {
    id,
    patientId: 'p1',
    kind,
    date: `2026-03-${String(day).padStart(2, '0')}T09:00:00.000Z`,
    author: { id: author[0], name: author[1], roleLabel: author[2] },
    text,
    attachments: [],
    urgent: false,
    version: '1',
  };
}
const NURSE: [string, string, string] = ['prac-lamothe', 'Sophie LAMOTHE', 'Infirmière à domicile'];
const PHARMA: [string, string, string] = ['prac-broca', 'Isabelle BROCA', "Pharmacienne d'officine"];
const GP: [string, string, string] = ['prac-dufau', 'Dr Hélène DUFAU', 'Médecin généraliste'];

const ids = (page: { entries: JournalEntry[] }) => page.entries.map((e) => e.id);

describe('journal search and filters', () => {
  beforeEach(() => {
    store.upsertEntries([
      entry('e1', 1, 'Pansement de l’ulcère refait, écoulement séreux.', NURSE),
      entry('e2', 2, 'Conciliation médicamenteuse : arrêt du Kardégic.', PHARMA, 'treatment-change'),
      entry('e3', 3, 'Ecchymose au bras gauche après chute.', NURSE, 'alert'),
      entry('e4', 4, 'Renouvellement pansements, ulcère en voie de cicatrisation.', GP),
    ]);
  });

  it('finds words by prefix, ignoring accents and case', () => {
    expect(ids(store.page('p1', undefined, 10, { query: 'pansem' }))).toEqual(['e4', 'e1']);
    expect(ids(store.page('p1', undefined, 10, { query: 'ULCERE cicatri' }))).toEqual(['e4']);
    expect(ids(store.page('p1', undefined, 10, { query: 'kardegic' }))).toEqual(['e2']);
    expect(ids(store.page('p1', undefined, 10, { query: 'lamothe' }))).toEqual(['e3', 'e1']);
  });

  it('neutralises FTS syntax typed by the user', () => {
    expect(ftsQuery('a" OR NEAR(x')).toBe('"a"* "OR"* "NEAR"* "x"*');
    expect(ids(store.page('p1', undefined, 10, { query: '"pansement' }))).toEqual(['e4', 'e1']);
    expect(() => store.page('p1', undefined, 10, { query: '!!!' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('filters by kind, author, profession and period, with totals', () => {
    expect(ids(store.page('p1', undefined, 10, { kinds: ['alert', 'treatment-change'] }))).toEqual(['e3', 'e2']);
    expect(ids(store.page('p1', undefined, 10, { authorIds: ['prac-lamothe'] }))).toEqual(['e3', 'e1']);
    expect(ids(store.page('p1', undefined, 10, { roleLabels: ['Médecin généraliste'] }))).toEqual(['e4']);
    const period = store.page('p1', undefined, 10, { from: '2026-03-02', to: '2026-03-03' });
    expect(ids(period)).toEqual(['e3', 'e2']);
    expect(period.total).toBe(2);
    const paged = store.page('p1', undefined, 1, { authorIds: ['prac-lamothe'] });
    expect(ids(store.page('p1', paged.nextCursor!, 1, { authorIds: ['prac-lamothe'] }))).toEqual(['e1']);
  });

  it('keeps the index right when an entry is corrected', () => {
    store.upsertEntries([{ ...entry('e1', 1, 'Plaie propre, pas de pansement.', NURSE), version: '2' }]);
    expect(ids(store.page('p1', undefined, 10, { query: 'ulcere' }))).toEqual(['e4']);
    expect(ids(store.page('p1', undefined, 10, { query: 'plaie' }))).toEqual(['e1']);
  });

  it('marks new entries by others unread, never one’s own, and pins per entry', () => {
    store.upsertEntries(
      [entry('e5', 5, 'Nouvelle chute cette nuit.', NURSE, 'alert'), entry('e6', 5, 'Vu ce jour.', GP)],
      { markUnreadExcept: 'prac-dufau' },
    );
    expect(ids(store.page('p1', undefined, 10, { unreadOnly: true }))).toEqual(['e5']);
    expect(store.page('p1', undefined, 10).entries.find((e) => e.id === 'e5')).toMatchObject({ unread: true });
    expect(store.page('p1', undefined, 10).entries.find((e) => e.id === 'e6')?.unread).toBeUndefined();
    store.setPinned('p1', 'e2', true);
    expect(ids(store.page('p1', undefined, 10, { pinnedOnly: true }))).toEqual(['e2']);
    expect(store.facets('p1')).toMatchObject({ unread: 1, pinned: 1 });
    expect(store.markRead('p1')).toBe(1);
    expect(store.facets('p1').unread).toBe(0);
    expect(store.facets('p1').authors[0]).toEqual({ id: 'prac-lamothe', name: 'Sophie LAMOTHE', roleLabel: 'Infirmière à domicile', count: 3 });
    expect(() => store.setPinned('p1', 'nope', true)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
