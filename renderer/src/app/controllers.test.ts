import { describe, expect, it } from 'vitest';
import type { JournalEntry, Patient, RelaisClient, RelaisEvent, Result } from '../contract';
import type { ConnectionStatus } from '../transport';
import { createWindowControllers } from './controllers';

const patient: Patient = {
  id: 'p1',
  birthName: 'MARTIN',
  firstNames: ['Jeanne'],
  birthDate: '1950-02-03',
  sex: 'F',
  ins: { value: '250027505612345', oid: '1.2.250.1.213.1.4.10' },
  identityStatus: 'QUAL',
};

function entry(id: string, hour: number): JournalEntry {
  return {
    id,
    patientId: 'p1',
    kind: 'text',
    date: new Date(Date.UTC(2025, 5, 15, hour)).toISOString(),
    author: { id: 'a', name: 'Dr A', roleLabel: 'Médecin' },
    text: id,
    attachments: [],
    urgent: false,
    version: '1',
  };
}

function setup(pages: Record<string, { entries: JournalEntry[]; nextCursor: string | null }>) {
  const listeners = new Set<(e: RelaisEvent) => void>();
  const calls: Array<{ method: string; request: unknown }> = [];
  const client = {
    async call(method: string, request: unknown): Promise<Result<unknown>> {
      calls.push({ method, request });
      if (method === 'journal.page') {
        const cursor = (request as { cursor?: string }).cursor ?? 'first';
        const page = pages[cursor]!;
        return { ok: true, value: { patientId: 'p1', ...page, source: 'store', syncedAt: null, total: 5 } };
      }
      if (method === 'patient.open') return { ok: true, value: { patient, cached: true } };
      return { ok: false, error: { code: 'FORBIDDEN', message: 'no' } };
    },
    onEvent(l: (e: RelaisEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as RelaisClient;
  const marks: string[] = [];
  const conn = { status: 'open' as ConnectionStatus, onStatus: () => () => {} };
  const app = createWindowControllers(client, conn, { perf: { mark: (n) => marks.push(n) } });
  return { app, calls, marks, emit: (e: RelaisEvent) => listeners.forEach((l) => l(e)) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

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
    emit({ type: 'sync-failed', patientId: 'p1', error: { code: 'OFFLINE', message: 'down' } });
    const j = app.journal.getState().journal;
    expect(j?.entries).toHaveLength(1);
    expect(j?.syncError?.code).toBe('OFFLINE');
    expect(app.session.getState().platformOnline).toBe(false);
  });
});
