import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Permission } from '../../contract';
import { fail, fakeClient, fakeSource, flush, journalEntry, ok } from '../../test-support/fake-client';
import { StaysController } from './controller';

const saintSever = { id: 'org-ch-saint-sever', name: 'Centre hospitalier de Saint-Sever', city: 'Saint-Sever' };
const gp: readonly Permission[] = ['journal.write', 'journal.read-medical'];

function setup(handlers = {}, session: { permissions: readonly Permission[] } | null = { permissions: gp }) {
  const fake = fakeClient({ 'stay.establishments': ok([saintSever]), 'stay.discharges': ok([]), 'admission.list': ok({ admissions: [] }), ...handlers });
  const sessions = fakeSource({ session });
  const panels = fakeSource({ panels: { patientId: null as string | null } });
  const ctl = new StaysController(fake.client, sessions, panels, { create: () => 'blob:x', revoke: () => undefined });
  return { ...fake, ctl, sessions, panels };
}

afterEach(() => vi.useRealTimers());

describe('StaysController: the establishments of the emergency fiche', () => {
  it('loads them once with the first patient and picks the first as recipient', async () => {
    const s = setup();
    s.panels.set({ panels: { patientId: 'p1' } });
    await flush();
    s.panels.set({ panels: { patientId: 'p2' } });
    await flush();
    expect(s.ctl.getState()).toMatchObject({ establishments: [saintSever], establishmentId: 'org-ch-saint-sever' });
    expect(s.methods().filter((m) => m === 'stay.establishments')).toHaveLength(1);
  });

  it('a failed load is tried again a few seconds later, without waiting for another patient', async () => {
    vi.useFakeTimers();
    let answers = 0;
    const s = setup({ 'stay.establishments': () => (++answers === 1 ? fail('PLATFORM_UNAVAILABLE') : ok([saintSever])) });
    s.panels.set({ panels: { patientId: 'p1' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.ctl.getState().establishments).toBeNull();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(s.ctl.getState().establishments).toEqual([saintSever]);
    s.ctl.dispose();
  });

  it('a session that arrives after the patient still brings the list (no write right, no call)', async () => {
    const s = setup({}, null);
    s.panels.set({ panels: { patientId: 'p1' } });
    await flush();
    expect(s.methods()).not.toContain('stay.establishments');
    s.sessions.set({ session: { permissions: gp } });
    await flush();
    expect(s.ctl.getState().establishments).toEqual([saintSever]);
  });

  it('dispose stops a pending retry', async () => {
    vi.useFakeTimers();
    const s = setup({ 'stay.establishments': fail('PLATFORM_UNAVAILABLE') });
    s.panels.set({ panels: { patientId: 'p1' } });
    await vi.advanceTimersByTimeAsync(0);
    s.ctl.dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.methods().filter((m) => m === 'stay.establishments')).toHaveLength(1);
  });
});

describe('StaysController: the journal brings news', () => {
  it('reloads the discharges when a refresh stored entries, not when it only confirmed the journal', async () => {
    const s = setup();
    s.panels.set({ panels: { patientId: 'p1' } });
    await flush();
    const loads = () => s.methods().filter((m) => m === 'stay.discharges').length;
    const first = loads();
    s.emit({ type: 'journal-updated', patientId: 'p1', entries: [], total: 4, syncedAt: '2026-12-02T10:00:00Z' });
    await flush();
    expect(loads()).toBe(first);
    s.emit({ type: 'journal-updated', patientId: 'p1', entries: [journalEntry('letter', 10, { patientId: 'p1' })], total: 5, syncedAt: '2026-12-02T10:05:00Z' });
    await flush();
    expect(loads()).toBe(first + 1);
  });
});
