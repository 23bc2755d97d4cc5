import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, flush, ok, patient } from '../test-support/fake-client';
import { announceJournalPainted, journalFirstClient, onJournalPainted } from './journal-first';

afterEach(() => vi.useRealTimers());

function setup() {
  const fake = fakeClient({ 'journal.page': ok({ entries: [] }), 'patient.panels': ok({}), 'todo.list': ok([]) });
  const client = journalFirstClient(fake.client, { onJournalPainted });
  return { ...fake, client };
}

describe('journalFirstClient', () => {
  it('with no patient opening, every call goes at once', async () => {
    const s = setup();
    await s.client.call('patient.panels', { patientId: 'p1' });
    expect(s.methods()).toEqual(['patient.panels']);
    s.client.dispose();
  });

  it('a patient coming on screen: the journal page goes first, the rest after the journal is painted, in order', async () => {
    const s = setup();
    s.emit({ type: 'patient-changed', patient: patient('p1'), cached: true });
    const panels = s.client.call('patient.panels', { patientId: 'p1' });
    void s.client.call('todo.list', {} as never);
    void s.client.call('journal.page', { patientId: 'p1', limit: 100 });
    await flush();
    expect(s.methods()).toEqual(['journal.page']);
    announceJournalPainted();
    await flush();
    expect(s.methods()).toEqual(['journal.page', 'patient.panels', 'todo.list']);
    expect(await panels).toEqual(ok({}));
    // Held no more: the next call goes at once.
    void s.client.call('todo.list', {} as never);
    expect(s.methods()).toHaveLength(4);
    s.client.dispose();
  });

  it('the same patient launched again holds nothing: its journal is painted already', async () => {
    const s = setup();
    s.emit({ type: 'patient-changed', patient: patient('p1'), cached: true });
    announceJournalPainted();
    s.emit({ type: 'patient-changed', patient: patient('p1'), cached: true });
    void s.client.call('patient.panels', { patientId: 'p1' });
    expect(s.methods()).toEqual(['patient.panels']);
    s.emit({ type: 'patient-changed', patient: patient('p2'), cached: true });
    void s.client.call('todo.list', {} as never);
    expect(s.methods()).toEqual(['patient.panels']);
    s.client.dispose();
  });

  it('a journal that never paints holds nothing longer than 400 ms', async () => {
    vi.useFakeTimers();
    const s = setup();
    s.emit({ type: 'patient-changed', patient: patient('p1'), cached: false });
    void s.client.call('patient.panels', { patientId: 'p1' });
    await vi.advanceTimersByTimeAsync(399);
    expect(s.methods()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.methods()).toEqual(['patient.panels']);
    s.client.dispose();
  });

  it('dispose lets held calls go and stops listening', async () => {
    const s = setup();
    s.emit({ type: 'patient-changed', patient: patient('p1'), cached: true });
    void s.client.call('patient.panels', { patientId: 'p1' });
    s.client.dispose();
    await flush();
    expect(s.methods()).toEqual(['patient.panels']);
    s.emit({ type: 'patient-changed', patient: patient('p2'), cached: true });
    void s.client.call('todo.list', {} as never);
    expect(s.methods()).toEqual(['patient.panels', 'todo.list']);
  });
});
