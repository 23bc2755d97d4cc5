/**
 * Codes of the support-cell request mapping (docs/fhir-mapping.md « Support cell requests »).
 * No French value set for a request to a DAC was found: the platform's local code systems name
 * it, the reasons, what is asked and the steps. The sandbox spells the same URIs on its side
 * (sandbox/fhir/systems.ts SUPPORT_CELL) — tests assert on the literals.
 */
const BASE = 'https://relais.example/fhir';

export const SUPPORT = {
  /** ServiceRequest.category and Task.code of a request to the support cell. */
  category: { system: `${BASE}/CodeSystem/coordination-request`, code: 'support-cell', display: "Demande d'appui à la cellule" },
  /** HealthcareService.category of the territory's support cell. */
  serviceCategory: { system: `${BASE}/CodeSystem/healthcare-service-category`, code: 'support-cell' },
  /** HealthcareService.coverageArea.identifier: the département (INSEE code) the cell covers. */
  departementSystem: `${BASE}/NamingSystem/departement`,
  reasonSystem: `${BASE}/CodeSystem/support-reason`,
  askSystem: `${BASE}/CodeSystem/support-ask`,
  /** Task.output[].type: each step the cell reached, valueDateTime = when. */
  stepSystem: `${BASE}/CodeSystem/support-step`,
  consentSystem: `${BASE}/CodeSystem/support-consent-by`,
  announcementDisplay: 'Annonce au journal de coordination',
  detailsDisplay: 'Éléments médicaux',
} as const;

export const supportIds = (clientId: string) => ({
  serviceRequest: clientId,
  announcement: clientId,
  task: `${clientId}/task`,
  details: `${clientId}/details`,
  file: (i: number) => `${clientId}/${i}`,
});
