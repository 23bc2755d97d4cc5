/**
 * Code systems of the clinical header (docs/fhir-mapping.md « Clinical header »). The sandbox has
 * its own copy (sandbox/fhir/systems.ts is never imported from here, docs/sandbox.md).
 */
export const CLINICAL = {
  /** LOINC 29463-7 Body weight (the vital-signs profile's code). */
  loinc: 'http://loinc.org',
  bodyWeight: '29463-7',
  /**
   * Condition.category of an affection de longue durée. *Deviation: neither FR Core nor the ANS
   * guides pin an ALD category; a Relais code system until one is.*
   */
  conditionCategory: 'https://relais.example/fhir/CodeSystem/condition-category',
  ald: 'ald',
  /** RelatedPerson.relationship: trusted person (loi Kouchner, art. L1111-6 CSP) or carer. Relais codes, same deviation. */
  relatedRole: 'https://relais.example/fhir/CodeSystem/related-role',
  trustedPerson: 'trusted-person',
  carer: 'carer',
} as const;
