/**
 * How the platform labels and reads its resources' visibility and kind: the predicates its role
 * policy (sandbox/auth/access-policy.ts) decides on, and the labels its seed writes. Written from
 * docs/fhir-mapping.md and docs/roles.md, not shared with the client, so that the platform checks
 * what Relais sends instead of agreeing with it by construction.
 */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { CONFIDENTIALITY, OPINION, PLATFORM, SNOMED, SUPPORT_CELL } from './systems';

type Concept = { coding?: readonly Pick<Coding, 'system' | 'code'>[] };

function hasCoding(concepts: readonly Concept[] | undefined, system: string, code: string): boolean {
  return (concepts ?? []).some((c) => (c.coding ?? []).some((x) => x.system === system && x.code === code));
}

/** Medical: a v3 Confidentiality label R or V. A secretary's token never receives it. */
export function isLabelledMedical(resource: { securityLabel?: readonly Concept[] }): boolean {
  return (
    hasCoding(resource.securityLabel, CONFIDENTIALITY.codeSystem, CONFIDENTIALITY.restricted) ||
    hasCoding(resource.securityLabel, CONFIDENTIALITY.codeSystem, CONFIDENTIALITY.veryRestricted)
  );
}

/** A journal entry in the administrative category: what practice staff may post. */
export function isAdministrativeEntry(doc: { category?: readonly Concept[] }): boolean {
  return hasCoding(doc.category, PLATFORM.journalCategoryCodeSystem, 'administrative');
}

/** A ServiceRequest category or Task code saying « referral » (SNOMED 3457005), not an admission. */
export function isReferral(concepts: readonly Concept[] | undefined): boolean {
  return hasCoding(concepts, SNOMED.referral.system, SNOMED.referral.code);
}

/** The securityLabel the seed writes on an entry: R for a medical one, N otherwise. */
export function confidentialityLabel(medical: boolean): CodeableConcept {
  return medical
    ? { coding: [{ system: CONFIDENTIALITY.codeSystem, code: CONFIDENTIALITY.restricted, display: 'restricted' }], text: 'Médical' }
    : { coding: [{ system: CONFIDENTIALITY.codeSystem, code: CONFIDENTIALITY.normal, display: 'normal' }] };
}

/** A ServiceRequest category or Task code saying « request to the support cell » (issue 13). */
/** A request for a specialist's opinion (issue 13 item 2): a care write, the GP or a nurse. */
export function isOpinionRequest(concepts: readonly Concept[] | undefined): boolean {
  return hasCoding(concepts, OPINION.requestCategory.system, OPINION.requestCategory.code);
}

export function isSupportCellRequest(concepts: readonly Concept[] | undefined): boolean {
  return hasCoding(concepts, SUPPORT_CELL.requestCategory.system, SUPPORT_CELL.requestCategory.code);
}
