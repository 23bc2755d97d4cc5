import { describe, expect, it } from 'vitest';
import type { LaunchContext, RelaisErrorShape } from '../../contract';
import { fail, fakeClient, flush, ok, patient } from '../../test-support/fake-client';
import { PatientsController } from './controller';

function setup(handlers = {}) {
  const fake = fakeClient(handlers);
  const shown: RelaisErrorShape[] = [];
  let dismissed = 0;
  const marks: string[] = [];
  const ctl = new PatientsController(fake.client, { show: (e) => shown.push(e), dismiss: () => (dismissed += 1) }, { mark: (n) => marks.push(n) });
  return { ...fake, ctl, shown, marks, dismissed: () => dismissed };
}

const launch: LaunchContext = { birthName: 'MARTIN', firstNames: ['Jeanne'], birthDate: '1950-02-03', sex: 'F' };

describe('PatientsController', () => {
  it('opens from the list with the launch context of the patient, one open at a time, and never one without INS', async () => {
    let answer: (v: unknown) => void = () => {};
    const s = setup({ 'patient.open': () => new Promise((r) => (answer = r)) });
    void s.ctl.openPatient(patient('p0', { ins: null }));
    expect(s.calls).toEqual([]);
    const opening = s.ctl.openPatient(patient('p1'));
    expect(s.ctl.getState().openingPatientId).toBe('p1');
    void s.ctl.openPatient(patient('p2'));
    expect(s.methods()).toEqual(['patient.open']);
    expect(s.calls[0]![1]).toMatchObject({ birthName: 'MARTIN', ins: { value: '250027505612345' } });
    answer(ok({ patient: patient('p1'), cached: false }));
    await opening;
    expect(s.ctl.getState()).toMatchObject({ openingPatientId: null, patient: { id: 'p1' } });
    expect(s.dismissed()).toBe(1);
  });

  it('shows a launched patient (perf mark) and a refused launch as an error', () => {
    const s = setup();
    s.emit({ type: 'patient-changed', patient: patient('p1'), cached: true });
    expect(s.marks).toEqual(['relais:launch-received']);
    expect(s.ctl.getState().patient?.id).toBe('p1');
    s.emit({ type: 'launch-failed', error: { code: 'INS_INVALID', message: 'key' } });
    expect(s.shown.map((e) => e.code)).toEqual(['INS_INVALID']);
    expect(s.ctl.getState().patient?.id).toBe('p1');
  });

  it('offers the practice software’s patient; a held identity is not an error, other refusals are', async () => {
    const s = setup({ 'patient.open': fail('IDENTITY_MISMATCH') });
    s.emit({ type: 'lgc-context-changed', launch });
    expect(s.ctl.getState().lgcOffer).toEqual(launch);
    await s.ctl.openLgcOffer();
    expect(s.ctl.getState().lgcOffer).toBeNull();
    expect(s.shown).toEqual([]);
    s.handlers['patient.open'] = fail('PATIENT_NOT_FOUND');
    s.emit({ type: 'lgc-context-changed', launch });
    await s.ctl.openLgcOffer();
    expect(s.shown.map((e) => e.code)).toEqual(['PATIENT_NOT_FOUND']);
  });

  it('warns when the launch named another practitioner, for that patient only', async () => {
    const s = setup({ 'patient.open': ok({ patient: patient('p1'), cached: true }) });
    s.emit({ type: 'patient-changed', patient: patient('p1'), cached: true });
    s.emit({ type: 'practitioner-mismatch', patientId: 'p1', launchedRpps: '99700001029' });
    expect(s.ctl.getState().practitionerWarning).toEqual({ patientId: 'p1', launchedRpps: '99700001029' });
    // The open call that carried it returns after the events: the warning stays.
    await s.ctl.openPatient(patient('p1'));
    expect(s.ctl.getState().practitionerWarning).toEqual({ patientId: 'p1', launchedRpps: '99700001029' });
    s.emit({ type: 'patient-changed', patient: patient('p2'), cached: true });
    expect(s.ctl.getState().practitionerWarning).toBeNull();
    s.emit({ type: 'practitioner-mismatch', patientId: 'p2', launchedRpps: '99700001029' });
    s.ctl.dismissPractitionerWarning();
    expect(s.ctl.getState().practitionerWarning).toBeNull();
  });

  it('keeps the list state right when the list cannot be read', async () => {
    const s = setup({ 'patient.list': fail('FORBIDDEN') });
    await s.ctl.loadPatients();
    expect(s.ctl.getState()).toMatchObject({ patients: null, patientsLoading: false });
    expect(s.shown.map((e) => e.code)).toEqual(['FORBIDDEN']);
    s.handlers['patient.list'] = ok([patient('p1')]);
    await s.ctl.loadPatients();
    await flush();
    expect(s.ctl.getState().patients).toHaveLength(1);
  });
});
