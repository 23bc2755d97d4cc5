import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalPage, OutboxItem, Patient, RelaisErrorShape } from '../../contract';
import { fail, fakeClient, fakeSource, flush, journalEntry as entry, ok, outboxItem, patient } from '../../test-support/fake-client';
import { activeFilter, JournalController } from './controller';

const page = (entries: JournalEntry[], source: 'store' | 'platform' = 'store', nextCursor: string | null = null) =>
  ok({ patientId: 'p1', entries, nextCursor, total: entries.length, source, syncedAt: null });

function setup(handlers = {}, carried: Record<string, JournalPage> = {}) {
  const fake = fakeClient({ 'journal.facets': ok({ kinds: [], authors: [], roles: [] }), 'journal.markRead': ok(null), ...handlers });
  const patients = fakeSource<{ patient: Patient | null }>({ patient: null });
  const errors: RelaisErrorShape[] = [];
  const platform: boolean[] = [];
  const tracked: OutboxItem[] = [];
  const ctl = new JournalController(fake.client, {
    patients,
    showError: (e) => errors.push(e),
    setPlatformOnline: (o) => platform.push(o),
    track: (i) => tracked.push(i),
    takeCarriedPage: (id) => {
      const p = carried[id] ?? null;
      delete carried[id];
      return p;
    },
  });
  return { ...fake, ctl, patients, errors, platform, tracked };
}

const pageRequests = (calls: Array<[string, unknown]>) => calls.filter(([m]) => m === 'journal.page').map(([, r]) => r);

describe('JournalController', () => {
  it('shows the page that came with the patient at once, without asking the core for it', async () => {
    const carried: JournalPage = { patientId: 'p1', entries: [entry('b', 9), entry('a', 8)], nextCursor: 'c1', total: 240, source: 'store', syncedAt: '2026-12-01T10:00:00Z' };
    const s = setup({ 'journal.page': page([entry('z', 1)]) }, { p1: carried });
    s.patients.set({ patient: patient('p1') });
    // Synchronously: the same render as the patient.
    expect(s.ctl.getState().journal).toMatchObject({ patientId: 'p1', loadingFirst: false, nextCursor: 'c1', total: 240, refreshing: true });
    expect(s.ctl.getState().journal?.entries.map((e) => e.id)).toEqual(['b', 'a']);
    await flush();
    expect(pageRequests(s.calls)).toEqual([]);
    // Another patient without a carried page: asked as before.
    s.patients.set({ patient: patient('p2') });
    await flush();
    expect(pageRequests(s.calls)).toHaveLength(1);
  });

  it('opens the journal of the patient on screen; leaving a patient marks their entries read', async () => {
    const s = setup({ 'journal.page': page([entry('a', 8)], 'platform') });
    s.patients.set({ patient: patient('p1') });
    expect(s.ctl.getState().journal).toMatchObject({ patientId: 'p1', loadingFirst: true });
    await flush();
    expect(s.ctl.getState().journal).toMatchObject({ loadingFirst: false, refreshing: false, source: 'platform' });
    expect(s.platform).toEqual([true]);
    s.patients.set({ patient: patient('p1') });
    expect(s.methods().filter((m) => m === 'journal.markRead')).toEqual([]);
    s.patients.set({ patient: patient('p2') });
    expect(s.calls).toContainEqual(['journal.markRead', { patientId: 'p1' }]);
    expect(s.ctl.getState().journal?.patientId).toBe('p2');
  });

  it('follows the back-fill of a patient opened for the first time, for that patient only', async () => {
    const s = setup({ 'journal.page': page([entry('a', 8)]) });
    s.patients.set({ patient: patient('p1') });
    await flush();
    s.emit({ type: 'journal-backfill', patientId: 'p1', stored: 600, total: 10_000, done: false });
    expect(s.ctl.getState().journal?.backfill).toEqual({ stored: 600, total: 10_000 });
    s.emit({ type: 'journal-backfill', patientId: 'p2', stored: 10, total: null, done: true });
    expect(s.ctl.getState().journal?.backfill).toEqual({ stored: 600, total: 10_000 });
    s.emit({ type: 'journal-backfill', patientId: 'p1', stored: 10_000, total: 10_000, done: true });
    expect(s.ctl.getState().journal?.backfill).toBeNull();
  });

  it('sends only the filters that are set, and re-reads from the newest entry when they change', async () => {
    const s = setup({ 'journal.page': page([entry('a', 8)]) });
    s.patients.set({ patient: patient('p1') });
    await flush();
    const generation = s.ctl.getState().journal!.generation;
    s.ctl.setFilter({ query: '  chute ', kinds: [], pinnedOnly: false });
    expect(s.ctl.getState().journal).toMatchObject({ entries: [], loadingFirst: true, generation: generation + 1 });
    await flush();
    expect(pageRequests(s.calls)).toEqual([
      { patientId: 'p1', limit: 100 },
      { patientId: 'p1', limit: 100, filter: { query: 'chute' } },
    ]);
    expect(activeFilter({ kinds: [], query: ' ' })).toBeUndefined();
  });

  it('merges platform updates, fills a hole from the store, replaces a list that no longer connects', async () => {
    const s = setup({ 'journal.page': page([entry('b', 9), entry('a', 8)]) });
    s.patients.set({ patient: patient('p1') });
    await flush();
    s.emit({ type: 'journal-updated', patientId: 'p1', entries: [entry('c', 10), entry('b', 9)], total: 3, syncedAt: 'x' });
    expect(s.ctl.getState().journal?.entries.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(pageRequests(s.calls)).toHaveLength(1);
    // A refresh that stored nothing carries no page: what is shown stands, confirmed at its time.
    s.emit({ type: 'journal-updated', patientId: 'p1', entries: [], total: 3, syncedAt: 'x2' });
    await flush();
    expect(s.ctl.getState().journal).toMatchObject({ syncedAt: 'x2', total: 3 });
    expect(s.ctl.getState().journal?.entries.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(pageRequests(s.calls)).toHaveLength(1);
    // A hole: the update does not reach what is shown; the newest page is re-read to fill it.
    s.handlers['journal.page'] = page([entry('z', 20), entry('y', 19)]);
    s.emit({ type: 'journal-updated', patientId: 'p1', entries: [entry('z', 20)], total: 30, syncedAt: 'y' });
    await flush();
    expect(pageRequests(s.calls)).toHaveLength(2);
    expect(s.ctl.getState().journal?.entries.map((e) => e.id)).toEqual(['z', 'y', 'c', 'b', 'a']);
    // A re-read that does not connect either (after a reconnection) replaces the list, scrolled to the top.
    s.handlers['journal.page'] = page([entry('n2', 23), entry('n1', 22)], 'store', 'k');
    const generation = s.ctl.getState().journal!.generation;
    await s.ctl.resync();
    expect(s.ctl.getState().journal).toMatchObject({ generation: generation + 1, nextCursor: 'k' });
    expect(s.ctl.getState().journal?.entries.map((e) => e.id)).toEqual(['n2', 'n1']);
  });

  it('pins an entry, shows a refused pin as an error, and drops a pending entry once sent', async () => {
    const s = setup({ 'journal.page': page([entry('local-o1', 9, { pending: true }), entry('a', 8)]), 'journal.pin': fail('FORBIDDEN') });
    s.patients.set({ patient: patient('p1') });
    await flush();
    await s.ctl.togglePin('a', true);
    expect(s.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    expect(s.ctl.getState().journal?.entries[1]?.pinned).toBeUndefined();
    s.handlers['journal.pin'] = ok(null);
    await s.ctl.togglePin('a', true);
    expect(s.ctl.getState().journal?.entries[1]?.pinned).toBe(true);
    s.emit({ type: 'outbox-changed', items: [outboxItem('o1', { status: 'sent' })] });
    expect(s.ctl.getState().journal?.entries.map((e) => e.id)).toEqual(['a']);
  });

  it('acknowledges an alert through the outbox and keeps the journal when a sync fails', async () => {
    const s = setup({ 'journal.page': page([entry('al', 8, { kind: 'alert' })]), 'alert.acknowledge': ok(outboxItem('o2')) });
    s.patients.set({ patient: patient('p1') });
    await flush();
    expect(s.ctl.getState().journal?.refreshing).toBe(true);
    await s.ctl.acknowledgeAlert(s.ctl.getState().journal!.entries[0]!);
    expect(s.tracked.map((i) => i.id)).toEqual(['o2']);
    s.emit({ type: 'sync-failed', patientId: 'p1', error: { code: 'PLATFORM_ERROR', message: '500' } });
    expect(s.ctl.getState().journal).toMatchObject({ refreshing: false, syncError: { code: 'PLATFORM_ERROR' } });
    expect(s.ctl.getState().journal?.entries).toHaveLength(1);
  });
});
