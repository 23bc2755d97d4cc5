import { describe, expect, it } from 'vitest';
import type { Appointment, Permission } from '../../contract';
import { fail, fakeClient, fakeSource, flush, ok, outboxItem } from '../../test-support/fake-client';
import { AgendaController } from './controller';

const appointment: Appointment = { id: 'a1', start: '2026-11-24T09:00:00Z', end: null, description: 'Suivi', professional: null, location: null, status: 'booked', version: 'v3' };

function setup(handlers = {}, permissions: Permission[] = ['appointment.manage', 'pps.edit']) {
  const fake = fakeClient({ 'admission.list': ok({ patientId: 'p1', requests: [] }), 'appointment.dismissChange': ok(null), ...handlers });
  const session = fakeSource({ session: { permissions } });
  let reloads = 0;
  const panels = { ...fakeSource({ panels: { patientId: null as string | null } }), reload: async () => void (reloads += 1) };
  const ctl = new AgendaController(fake.client, session, panels);
  return { ...fake, ctl, panels, session, reloads: () => reloads };
}

describe('AgendaController', () => {
  it('books through the outbox: a refusal keeps the dialog with its error, an acceptance closes it and reloads the agenda', async () => {
    const s = setup({ 'appointment.book': fail('INVALID_INPUT', 'start', { field: 'start' }) });
    s.panels.set({ panels: { patientId: 'p1' } });
    await flush();
    s.ctl.openBook();
    const request = { start: '2026-11-25T08:00:00Z', durationMinutes: 20, motive: 'Vaccin' } as never;
    expect(await s.ctl.book(request)).toBe(false);
    expect(s.ctl.getState()).toMatchObject({ dialog: { kind: 'book' }, submitting: false, error: { code: 'INVALID_INPUT', field: 'start' } });
    s.handlers['appointment.book'] = ok(outboxItem('o1', { kind: 'appointment' }));
    expect(await s.ctl.book(request)).toBe(true);
    expect(s.ctl.getState()).toMatchObject({ dialog: null, error: null });
    expect(s.calls.filter(([m]) => m === 'appointment.book').at(-1)?.[1]).toMatchObject({ patientId: 'p1', motive: 'Vaccin' });
    expect(s.reloads()).toBe(1);
  });

  it('offers a refused move again with what was asked, and the retry replaces the refused change', async () => {
    const s = setup({ 'appointment.reschedule': ok(outboxItem('o2', { kind: 'appointment' })) });
    s.panels.set({ panels: { patientId: 'p1' } });
    const refused: Appointment = {
      ...appointment,
      change: { clientId: 'c-old', action: 'reschedule', state: 'failed', error: { code: 'CONFLICT', message: '412' }, requested: { start: '2026-11-26T10:00:00Z', durationMinutes: 30 } },
    };
    s.ctl.resume(refused);
    expect(s.ctl.getState().dialog).toEqual({ kind: 'reschedule', appointment: refused, fromClientId: 'c-old', initial: { start: '2026-11-26T10:00:00Z', durationMinutes: 30 } });
    expect(await s.ctl.reschedule(refused, '2026-11-26T10:00:00Z', 30)).toBe(true);
    expect(s.calls.filter(([m]) => m.startsWith('appointment.'))).toEqual([
      ['appointment.reschedule', { patientId: 'p1', appointmentId: 'a1', version: 'v3', start: '2026-11-26T10:00:00Z', durationMinutes: 30 }],
      ['appointment.dismissChange', { patientId: 'p1', clientId: 'c-old' }],
    ]);
  });

  it('reloads what the platform’s answer changed, once per answer, for the patient on screen only', async () => {
    const s = setup();
    s.panels.set({ panels: { patientId: 'p1' } });
    await flush();
    const lists = () => s.methods().filter((m) => m === 'admission.list').length;
    expect(lists()).toBe(1);
    s.emit({ type: 'outbox-changed', items: [outboxItem('o1', { kind: 'appointment', status: 'sending' }), outboxItem('o2', { kind: 'admission-request', status: 'sent' })] });
    expect(s.reloads()).toBe(0);
    expect(lists()).toBe(2);
    s.emit({ type: 'outbox-changed', items: [outboxItem('o1', { kind: 'appointment', status: 'sent' }), outboxItem('o2', { kind: 'admission-request', status: 'sent' }), outboxItem('o3', { kind: 'appointment', status: 'sent', patientId: 'p9' })] });
    expect(s.reloads()).toBe(1);
    expect(lists()).toBe(2);
    expect(s.ctl.can('appointment.manage')).toBe(true);
    expect(s.ctl.can('admission.manage')).toBe(false);
  });

  it('« Modifier » on a refused admission request: the dialog opens with what was typed, the send replaces that item', async () => {
    const refusedId = '00000000-0000-4000-8000-0000000000dd';
    const typed = { establishment: { kind: 'free-text', text: 'CH de Verdun' }, priority: 'routine', desiredDate: '2026-12-10', motive: 'Bilan de chutes', homeReturnSupport: true } as const;
    const s = setup({ 'outbox.form': ok(null), 'admission.establishments': ok([]), 'admission.request': ok(outboxItem('o5', { kind: 'admission-request' })) }, ['admission.manage']);
    s.panels.set({ panels: { patientId: 'p1' } });
    await flush();
    expect(await s.ctl.editRefusedAdmission(refusedId)).toBe(false);
    expect(s.ctl.getState().dialog).toBeNull();
    s.handlers['outbox.form'] = ok({ kind: 'admission-request', form: typed });
    expect(await s.ctl.editRefusedAdmission(refusedId)).toBe(true);
    expect(s.ctl.getState().dialog).toEqual({ kind: 'admission', initial: typed, replaces: refusedId });
    expect(await s.ctl.requestAdmission({ ...typed, motive: 'Bilan de chutes répétées' })).toBe(true);
    expect(s.calls.filter(([m]) => m === 'admission.request').at(-1)?.[1]).toEqual({ ...typed, motive: 'Bilan de chutes répétées', patientId: 'p1', replaces: refusedId });
    // « Demande d'admission » afterwards is a new request.
    s.ctl.openAdmission();
    expect(await s.ctl.requestAdmission(typed)).toBe(true);
    expect(s.calls.filter(([m]) => m === 'admission.request').at(-1)?.[1]).toEqual({ ...typed, patientId: 'p1' });
  });
});
