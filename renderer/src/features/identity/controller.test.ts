import { describe, expect, it } from 'vitest';
import type { LaunchContext, Patient, RelaisErrorShape } from '../../contract';
import { fail, fakeClient, ok, patient } from '../../test-support/fake-client';
import { IdentityController } from './controller';

const launch: LaunchContext = { birthName: 'MARTIN', firstNames: ['Jeanne'], birthDate: '1950-02-03', sex: 'F' };

function setup(handlers = {}) {
  const fake = fakeClient(handlers);
  const shown: Patient[] = [];
  const errors: RelaisErrorShape[] = [];
  const ctl = new IdentityController(fake.client, (p) => shown.push(p), (e) => errors.push(e));
  return { ...fake, ctl, shown, errors };
}

describe('IdentityController', () => {
  it('holds a launch with differing traits until the GP confirms it, answering once', async () => {
    const s = setup({ 'patient.confirmIdentity': ok({ opened: { patient: patient('p1'), cached: false } }) });
    s.emit({
      type: 'identity-confirmation-required',
      confirmationId: 'c1',
      launch,
      patient: patient('p1'),
      discrepancies: [{ field: 'birthDate', launch: '1950-02-03', platform: '1950-03-02' }],
    });
    expect(s.ctl.getState().identityCheck).toMatchObject({ confirmationId: 'c1', answering: false });
    const answer = s.ctl.answerIdentityCheck(true);
    expect(s.ctl.getState().identityCheck?.answering).toBe(true);
    void s.ctl.answerIdentityCheck(false);
    await answer;
    expect(s.calls).toEqual([['patient.confirmIdentity', { confirmationId: 'c1', confirmed: true }]]);
    expect(s.ctl.getState().identityCheck).toBeNull();
    expect(s.shown.map((p) => p.id)).toEqual(['p1']);
  });

  it('opens only the candidate the GP picks; a refusal shows its error and opens nothing', async () => {
    const s = setup({ 'patient.choose': fail('CONFLICT') });
    s.emit({ type: 'patient-candidates', selectionId: 's1', launch, candidates: [patient('p1'), patient('p2')] });
    expect(s.ctl.getState().selection?.candidates).toHaveLength(2);
    await s.ctl.answerSelection('p2');
    expect(s.calls).toEqual([['patient.choose', { selectionId: 's1', patientId: 'p2' }]]);
    expect(s.ctl.getState().selection).toBeNull();
    expect(s.errors.map((e) => e.code)).toEqual(['CONFLICT']);
    expect(s.shown).toEqual([]);
  });
});
