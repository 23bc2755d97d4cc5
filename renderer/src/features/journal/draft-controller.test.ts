import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JournalEntry, OutboxItem, Patient, RelaisErrorShape } from '../../contract';
import { fail, fakeClient, fakeSource, ok, outboxItem, patient } from '../../test-support/fake-client';
import { DraftController } from './draft-controller';

function setup(handlers = {}) {
  const saved: Record<string, string> = { p2: 'kept for p2' };
  const fake = fakeClient({
    'draft.get': (r: { patientId: string }) => ok(saved[r.patientId] ? { patientId: r.patientId, text: saved[r.patientId], updatedAt: '2026-11-19T08:00:00Z' } : null),
    'draft.save': (r: { patientId: string; text: string }) => ((saved[r.patientId] = r.text), ok({ patientId: r.patientId, text: r.text, updatedAt: '2026-11-20T09:00:00Z' })),
    ...handlers,
  });
  const patients = fakeSource<{ patient: Patient | null }>({ patient: null });
  const errors: RelaisErrorShape[] = [];
  const tracked: OutboxItem[] = [];
  const refreshed: string[] = [];
  const ctl = new DraftController(fake.client, { patients, showError: (e) => errors.push(e), track: (i) => tracked.push(i), refreshJournal: (id) => refreshed.push(id) }, 400);
  return { ...fake, ctl, patients, errors, tracked, refreshed, saved };
}

/** Lets the fake client's promises settle under fake timers. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('DraftController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves the draft 400 ms after the last keystroke, not before', async () => {
    const s = setup();
    s.patients.set({ patient: patient('p1') });
    await settle();
    s.ctl.setDraftText('Ta');
    await vi.advanceTimersByTimeAsync(300);
    s.ctl.setDraftText('TA 13/8');
    await vi.advanceTimersByTimeAsync(300);
    expect(s.methods().filter((m) => m === 'draft.save')).toEqual([]);
    expect(s.ctl.getState().draft?.savedAt).toBeNull();
    await vi.advanceTimersByTimeAsync(100);
    expect(s.calls.filter(([m]) => m === 'draft.save')).toEqual([['draft.save', { patientId: 'p1', text: 'TA 13/8' }]]);
    expect(s.ctl.getState().draft?.savedAt).toBe('2026-11-20T09:00:00Z');
  });

  it('saves what was typed for one patient before showing the next one’s kept draft', async () => {
    const s = setup();
    s.patients.set({ patient: patient('p1') });
    await settle();
    s.ctl.setDraftText('for p1');
    s.patients.set({ patient: patient('p2') });
    await settle();
    expect(s.saved.p1).toBe('for p1');
    expect(s.ctl.getState().draft).toMatchObject({ patientId: 'p2', text: 'kept for p2', restoredFrom: '2026-11-19T08:00:00Z', loading: false });
  });

  it('switches the composer in the same task as the patient when nothing is left to save (one render, issue 12)', async () => {
    const s = setup();
    s.patients.set({ patient: patient('p1') });
    await settle();
    s.patients.set({ patient: patient('p2') });
    // No await: the window renders the new patient and the composer together.
    expect(s.ctl.getState().draft).toMatchObject({ patientId: 'p2', loading: true });
    await settle();
    expect(s.ctl.getState().draft).toMatchObject({ patientId: 'p2', text: 'kept for p2', loading: false });
    expect(s.methods().filter((m) => m === 'draft.save')).toEqual([]);
  });

  it('posts the reply, clears the draft once the outbox holds it, and keeps it when refused', async () => {
    const s = setup({ 'journal.post': fail('INVALID_INPUT') });
    s.patients.set({ patient: patient('p1') });
    await settle();
    s.ctl.setReplyTo({ id: 'e1', patientId: 'p1' } as JournalEntry);
    s.ctl.setDraftText('Vu, RAS');
    expect(await s.ctl.post({ kind: 'text', text: 'Vu, RAS' })).toBe(false);
    expect(s.ctl.getState()).toMatchObject({ posting: false, draft: { text: 'Vu, RAS' }, replyTo: { id: 'e1' } });
    expect(s.errors.map((e) => e.code)).toEqual(['INVALID_INPUT']);
    s.handlers['journal.post'] = ok(outboxItem('o1'));
    expect(await s.ctl.post({ kind: 'text', text: 'Vu, RAS' })).toBe(true);
    expect(s.calls.filter(([m]) => m === 'journal.post').at(-1)?.[1]).toMatchObject({ patientId: 'p1', replyTo: 'e1' });
    expect(s.tracked.map((i) => i.id)).toEqual(['o1']);
    expect(s.refreshed).toEqual(['p1']);
    expect(s.ctl.getState()).toMatchObject({ replyTo: null, draft: { text: '' } });
    expect(s.saved.p1).toBe('');
  });
});
