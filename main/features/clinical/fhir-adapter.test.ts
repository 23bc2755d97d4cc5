import { describe, expect, it } from 'vitest';
import type { AllergyIntolerance, Condition, Observation, RelatedPerson } from '@medplum/fhirtypes';
import { mapAld, mapAllergies, mapContacts, mapWeight } from './fhir-adapter';
import { CLINICAL } from './fhir-systems';

const status = (system: string, code: string) => ({ coding: [{ system, code }] });

describe('clinical header mapping (docs/fhir-mapping.md « Clinical header »)', () => {
  it('keeps active, non-refuted allergies, severe ones first', () => {
    const a = (text: string, over: Partial<AllergyIntolerance> = {}): AllergyIntolerance => ({ resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p' }, code: { text }, ...over });
    expect(
      mapAllergies([
        a('Sulfamides', { criticality: 'low' }),
        a('Pénicillines', { criticality: 'high' }),
        a('Latex', { verificationStatus: status('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'refuted') }),
        a('Codéine', { clinicalStatus: status('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'resolved') }),
      ]),
    ).toEqual([
      { substance: 'Pénicillines', critical: true },
      { substance: 'Sulfamides', critical: false },
    ]);
  });

  it('reads ALD conditions only by their category', () => {
    const c = (text: string, ald: boolean): Condition => ({
      resourceType: 'Condition',
      subject: { reference: 'Patient/p' },
      code: { text },
      ...(ald ? { category: [{ coding: [{ system: CLINICAL.conditionCategory, code: CLINICAL.ald }] }] } : {}),
    });
    expect(mapAld([c('ALD 8 — Diabète de type 2', true), c('Troubles cognitifs', false)])).toEqual(['ALD 8 — Diabète de type 2']);
  });

  it('takes the latest final body weight, in kg (grams converted), ignoring other codes and statuses', () => {
    const o = (value: number, unit: string, date: string, over: Partial<Observation> = {}): Observation => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: CLINICAL.loinc, code: CLINICAL.bodyWeight }] },
      effectiveDateTime: date,
      valueQuantity: { value, code: unit },
      ...over,
    });
    expect(mapWeight([o(71.2, 'kg', '2026-10-01'), o(70400, 'g', '2026-11-10'), o(90, 'kg', '2026-11-20', { status: 'entered-in-error' })])).toEqual({ kg: 70.4, date: '2026-11-10' });
    expect(mapWeight([o(70, '[lb_av]', '2026-11-10')])).toBeNull();
  });

  it('puts the trusted person first, with relation and phone', () => {
    const r = (given: string, role: string, phone?: string): RelatedPerson => ({
      resourceType: 'RelatedPerson',
      patient: { reference: 'Patient/p' },
      name: [{ family: 'Garrabos', given: [given] }],
      relationship: [{ coding: [{ system: CLINICAL.relatedRole, code: role }], text: role === 'carer' ? 'Aidant' : 'Personne de confiance' }, { text: 'Fille' }],
      ...(phone ? { telecom: [{ system: 'phone', value: phone }] } : {}),
    });
    expect(mapContacts([r('Patrick', 'carer'), r('Catherine', 'trusted-person', '06 31 11 56 62')])).toEqual([
      { name: 'Catherine GARRABOS', relation: 'Personne de confiance, Fille', phone: '06 31 11 56 62' },
      { name: 'Patrick GARRABOS', relation: 'Aidant, Fille' },
    ]);
  });
});
