import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../contract';
import { LocalStore } from './store';

let store: LocalStore;

function entry(id: string, patientId: string, date: string, over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id,
    patientId,
    kind: 'text',
    date,
    author: { id: 'prac-lamothe', name: 'Sophie LAMOTHE', roleLabel: 'Infirmière' },
    text: `note ${id}`,
    attachments: [],
    urgent: false,
    version: '1',
    ...over,
  };
}

beforeEach(() => {
  store = new LocalStore(':memory:');
});
afterEach(() => store.close());

describe('reply quotes and unread entries across patients (issue 15)', () => {
  it('quotes the author and first words of the answered entry, never stores the quote, and hides a medical parent from staff', () => {
    const long = `Pouvez-vous passer ${'contrôler la tension '.repeat(10)}`;
    store.upsertEntries([
      entry('m1', 'p1', '2026-11-30T08:00:00Z', { author: { id: 'prac-dufau', name: 'Dr Hélène DUFAU', roleLabel: 'MG' }, text: long }),
      entry('r1', 'p1', '2026-11-30T09:00:00Z', { replyTo: 'm1', replyQuote: { author: 'forged', text: 'forged' } }),
      entry('r2', 'p1', '2026-11-30T10:00:00Z', { replyTo: 'gone' }),
      entry('secret', 'p1', '2026-11-30T07:00:00Z', { confidentiality: 'medical', text: 'Diagnostic' }),
      entry('r3', 'p1', '2026-11-30T11:00:00Z', { replyTo: 'secret' }),
    ]);
    const page = store.page('p1', undefined, 10);
    const r1 = page.entries.find((e) => e.id === 'r1')!;
    expect(r1.replyQuote?.author).toBe('Dr Hélène DUFAU');
    expect(r1.replyQuote?.text.startsWith('Pouvez-vous passer contrôler la tension')).toBe(true);
    expect(r1.replyQuote!.text.length).toBeLessThanOrEqual(140);
    expect(r1.replyQuote!.text.endsWith('…')).toBe(true);
    expect(page.entries.find((e) => e.id === 'r2')!.replyQuote).toBeUndefined();
    expect(page.entries.find((e) => e.id === 'r3')!.replyQuote?.text).toBe('Diagnostic');
    store.hideMedical = true;
    expect(store.page('p1', undefined, 10).entries.find((e) => e.id === 'r3')!.replyQuote).toBeUndefined();
    expect(store.journal.get('secret')).toBeNull();
  });

  it('lists unread entries of every patient newest first with a count per patient', () => {
    store.upsertEntries([entry('a1', 'p1', '2026-11-01T08:00:00Z'), entry('b1', 'p2', '2026-11-01T08:00:00Z')]);
    store.upsertEntries(
      [entry('a2', 'p1', '2026-11-02T08:00:00Z'), entry('a3', 'p1', '2026-11-03T08:00:00Z'), entry('b2', 'p2', '2026-11-04T08:00:00Z'), entry('mine', 'p2', '2026-11-05T08:00:00Z', { author: { id: 'me', name: 'Moi', roleLabel: 'MG' } })],
      { markUnreadExcept: 'me' },
    );
    const { entries, counts } = store.journal.unreadAcrossPatients(10);
    expect(entries.map((e) => e.id)).toEqual(['b2', 'a3', 'a2']);
    expect(entries.every((e) => e.unread)).toBe(true);
    expect(counts).toEqual({ p1: 2, p2: 1 });
    store.markRead('p1');
    expect(store.journal.unreadAcrossPatients(10).counts).toEqual({ p2: 1 });
    expect(store.journal.unreadAcrossPatients(1).entries.map((e) => e.id)).toEqual(['b2']);
  });
});
