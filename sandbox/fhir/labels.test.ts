import { describe, expect, it } from 'vitest';
import { confidentialityLabel, isAdministrativeEntry, isLabelledMedical, isReferral } from './labels';

// Literal URIs and codes on purpose: the platform's reading is checked against the documented
// mapping (docs/fhir-mapping.md), not against its own constants.
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

describe('platform labels', () => {
  it('reads v3 Confidentiality R and V as medical, N and other systems as not', () => {
    expect(isLabelledMedical({ securityLabel: [{ coding: [{ system: V3, code: 'R' }] }] })).toBe(true);
    expect(isLabelledMedical({ securityLabel: [{ coding: [{ system: V3, code: 'V' }] }] })).toBe(true);
    expect(isLabelledMedical({ securityLabel: [{ coding: [{ system: V3, code: 'N' }] }] })).toBe(false);
    expect(isLabelledMedical({ securityLabel: [{ coding: [{ system: 'http://example.org/other', code: 'R' }] }] })).toBe(false);
    expect(isLabelledMedical({})).toBe(false);
  });

  it('writes R « Médical » for a medical entry and N otherwise', () => {
    expect(confidentialityLabel(true)).toEqual({ coding: [{ system: V3, code: 'R', display: 'restricted' }], text: 'Médical' });
    expect(confidentialityLabel(false)).toEqual({ coding: [{ system: V3, code: 'N', display: 'normal' }] });
    expect(isLabelledMedical({ securityLabel: [confidentialityLabel(true)] })).toBe(true);
  });

  it('tells the administrative category and the referral coding', () => {
    expect(isAdministrativeEntry({ category: [{ coding: [{ system: 'https://relais.example/fhir/CodeSystem/journal-category', code: 'administrative' }] }] })).toBe(true);
    expect(isAdministrativeEntry({ category: [{ coding: [{ system: 'https://relais.example/fhir/CodeSystem/journal-kind', code: 'administrative' }] }] })).toBe(false);
    expect(isReferral([{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }])).toBe(true);
    expect(isReferral([{ coding: [{ system: 'http://snomed.info/sct', code: '305056002' }] }])).toBe(false);
    expect(isReferral(undefined)).toBe(false);
  });
});
