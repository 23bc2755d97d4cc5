import { describe, expect, it } from 'vitest';
import type { JournalEntry, RelaisEvent } from '../contract';
import type { ConnectionStatus } from '../transport';
import { fail, fakeClient, flush, journalEntry as entry, ok, patient as patientOf } from '../test-support/fake-client';
import { createWindowControllers } from './controllers';

const patient = patientOf('p1');

function setup(pages: Record<string, { entries: JournalEntry[]; nextCursor: string | null }>) {
  const fake = fakeClient({
    'journal.page': (request: { cursor?: string }) => ok({ patientId: 'p1', ...pages[request.cursor ?? 'first']!, source: 'store', syncedAt: null, total: 5 }),
    'patient.open': ok({ patient, cached: true }),
    'patient.list': fail('FORBIDDEN', 'no'),
  });
  const marks: string[] = [];
  let onStatus: (s: ConnectionStatus) => void = () => {};
  const conn = { status: 'open' as ConnectionStatus, onStatus: (l: (s: ConnectionStatus) => void) => ((onStatus = l), () => {}) };
  const app = createWindowControllers(fake.client, conn, { perf: { mark: (n) => marks.push(n) } });
  return { ...fake, app, marks, emit: (e: RelaisEvent) => fake.emit(e), status: (s: ConnectionStatus) => onStatus(s) };
}

const tick = flush;

describe('the window controllers, composed', () => {
  it('opens a launched patient, pages the journal and merges platform updates', async () => {
    const { app, marks, emit } = setup({
      first: { entries: [entry('c', 10), entry('b', 9)], nextCursor: 'k' },
      k: { entries: [entry('a', 8)], nextCursor: null },
    });
    emit({ type: 'patient-changed', patient, cached: true });
    expect(marks).toEqual(['relais:launch-received']);
    await tick();
    let j = app.journal.getState().journal!;
    expect(j.entries.map((e) => e.id)).toEqual(['c', 'b']);
    expect(j.refreshing).toBe(true);
    await app.journal.loadMore();
    j = app.journal.getState().journal!;
    expect(j.entries.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(j.nextCursor).toBeNull();
    emit({ type: 'journal-updated', patientId: 'p1', entries: [entry('d', 11), entry('c', 10)], total: 4, syncedAt: 'x' });
    j = app.journal.getState().journal!;
    expect(j.entries.map((e) => e.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(j.refreshing).toBe(false);
    expect(j.source).toBe('platform');
  });

  it('paints the journal with the patient when the page comes with it: no journal.page asked', () => {
    const { app, emit, calls } = setup({ first: { entries: [entry('z', 1)], nextCursor: null } });
    const firstPage = { patientId: 'p1', entries: [entry('c', 10), entry('b', 9)], nextCursor: 'k', total: 5, source: 'store' as const, syncedAt: null };
    emit({ type: 'patient-changed', patient, cached: true, firstPage });
    // In the same turn as the patient, before any answer could arrive.
    expect(app.patients.getState().patient?.id).toBe('p1');
    expect(app.journal.getState().journal).toMatchObject({ loadingFirst: false, nextCursor: 'k' });
    expect(app.journal.getState().journal?.entries.map((e) => e.id)).toEqual(['c', 'b']);
    expect(calls.filter(([m]) => m === 'journal.page')).toEqual([]);
  });

  it('shows launch failures and failed calls as errors', async () => {
    const { app, emit } = setup({});
    emit({ type: 'launch-failed', error: { code: 'INS_INVALID', message: 'bad key' } });
    expect(app.errors.getState()?.error.code).toBe('INS_INVALID');
    await app.patients.loadPatients();
    expect(app.errors.getState()?.error.code).toBe('FORBIDDEN');
  });

  it('keeps the journal and flags it when a background sync fails', async () => {
    const { app, emit } = setup({ first: { entries: [entry('a', 8)], nextCursor: null } });
    await app.patients.openPatient(patient);
    await tick();
    emit({ type: 'sync-failed', patientId: 'p1', error: { code: 'PLATFORM_UNREACHABLE', message: 'down' } });
    const j = app.journal.getState().journal;
    expect(j?.entries).toHaveLength(1);
    expect(j?.syncError?.code).toBe('PLATFORM_UNREACHABLE');
    expect(app.session.getState().platformOnline).toBe(false);
  });

  it('a successful open clears a launch error; a reconnection re-reads the session, the list and the open journal', async () => {
    const s = setup({ first: { entries: [entry('a', 8)], nextCursor: null } });
    s.emit({ type: 'launch-failed', error: { code: 'INS_INVALID', message: 'bad key' } });
    await s.app.patients.openPatient(patient);
    expect(s.app.errors.getState()).toBeNull();
    await tick();
    s.calls.length = 0;
    s.status('closed');
    s.status('open');
    await tick();
    expect(s.methods().sort()).toEqual(['journal.page', 'patient.list', 'session.current']);
    s.app.dispose();
    expect(s.listenerCount()).toBe(0);
  });
});
