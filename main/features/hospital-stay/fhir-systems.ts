/**
 * Codes of the hospital-stay mapping (docs/fhir-mapping.md « Hospital stays »). LOINC where an
 * international code says it (discharge summary, discharge medications, advance directives, patient
 * summary); the platform's local systems for the checklist.
 */
const BASE = 'https://relais.example/fhir';

export const STAY = {
  /** DocumentReference.type of the establishment's discharge letter. */
  dischargeSummary: { system: 'http://loinc.org', code: '18842-5', display: 'Discharge summary' },
  /** List.code of the treatments at discharge (contained MedicationStatements). */
  dischargeMedications: { system: 'http://loinc.org', code: '10183-2', display: 'Hospital discharge medications Narrative' },
  /** Consent.category of advance directives (« directives anticipées »). */
  advanceDirectives: { system: 'http://loinc.org', code: '42348-3', display: 'Advance directives' },
  /** Communication.category: a document sent to an establishment. */
  ficheCategory: { system: `${BASE}/CodeSystem/communication-category`, code: 'emergency-liaison', display: 'Fiche de liaison urgence' },
  ficheTitle: 'Fiche de liaison urgence',
  /** Task.code of one ticked item of a programmed admission's checklist. */
  checklistSystem: `${BASE}/CodeSystem/admission-checklist`,
} as const;

export const ficheIds = (clientId: string) => ({ entry: clientId, communication: `${clientId}/communication`, file: (i: number) => `${clientId}/${i}`, medical: `${clientId}/medical` });
