/**
 * Code systems of the panels mapping (treatments, PPS, agenda, tasks, alerts), shared by the
 * adapter and the sandbox seed. See docs/fhir-mapping.md, « Panels ».
 */
import { RELAIS } from '../../platform/fhir/systems';

export const PANELS = {
  /** Flag.code coding: degradation | non-observance | hospitalisation | new-document. */
  alertKind: 'https://relais.example/fhir/CodeSystem/alert-kind',
  /** CarePlan.activity.detail.code: `intervention`, or `review` for the PPS review date. */
  ppsActivity: RELAIS.ppsActivity,
  /** CarePlan.category of a PPS. */
  ppsCategory: 'https://relais.example/fhir/CodeSystem/care-plan-category',
  /** Flag extension (complex: `by` valueReference, `at` valueDateTime): who took the alert into account, when (issue 15). */
  alertHandled: 'https://relais.example/fhir/StructureDefinition/alert-handled',
  /** The standard R4 extension saying how urgent a Flag is (valueCodeableConcept from flagPriorityCode). */
  flagPriority: 'http://hl7.org/fhir/StructureDefinition/flag-priority',
  flagPriorityCode: 'http://hl7.org/fhir/flag-priority-code',
  /** MedicationRequest.groupIdentifier system (one prescription = one group). */
  prescriptionId: 'https://relais.example/fhir/NamingSystem/prescription-id',
} as const;
