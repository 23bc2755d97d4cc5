/**
 * Codes and extension URLs of the agenda and admission mapping, shared by the adapter and the
 * sandbox seed. See docs/fhir-mapping.md « Agenda and admissions ».
 */
import { RELAIS } from '../../platform/fhir/systems';

export const AGENDA = {
  /**
   * Appointment extension (valueString): client id of the last change made from Relais. A retried
   * If-Match update that the platform already applied finds its own id here instead of failing.
   */
  lastChange: 'https://relais.example/fhir/StructureDefinition/last-client-change',
  /** ServiceRequest extension (valueBoolean): the coordination team should prepare the return home. */
  homeReturnSupport: 'https://relais.example/fhir/StructureDefinition/home-return-support',
  /**
   * ServiceRequest.category of an admission request. No French value set for « demande
   * d'admission » was found (FR Core's fr-core-cs-type-admission is the PMSI admission type, not
   * this); SNOMED CT 305056002 « Admission procedure » is the international code.
   */
  admissionCategory: { system: 'http://snomed.info/sct', code: '305056002', display: 'Admission procedure' },
  /** Organization.type of the referential's health establishments. */
  establishmentType: RELAIS.establishmentType,
  finess: 'https://finess.esante.gouv.fr',
  /** supportingInfo.display of the medical journal entry holding the clinical summary. */
  summaryDisplay: 'Résumé clinique',
  /** supportingInfo.display of the journal entry announcing the request. */
  announcementDisplay: 'Annonce au journal de coordination',
} as const;

/** Identifier values of the resources one admission request creates, all derived from its outbox client id. */
export const admissionIds = (clientId: string) => ({
  serviceRequest: clientId,
  /** The DocumentReference announcing it in the journal. */
  announcement: clientId,
  task: `${clientId}/task`,
  summary: `${clientId}/summary`,
  file: (i: number) => `${clientId}/${i}`,
});
