/**
 * Codes of the referral mapping, shared by the adapter, the sandbox's role policy and its seed.
 * See docs/fhir-mapping.md « Referrals ».
 */
export const REFERRAL = {
  /**
   * ServiceRequest.category (and Task.code) of a referral. No French value set for « adressage »
   * was found; SNOMED CT 3457005 « Patient referral » is the international code (the R4 example
   * value set servicerequest-category lists it).
   */
  category: { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' },
  /** Organization.type of the territory's services a GP refers to (SSIAD, DAC, EMG…). */
  serviceType: 'https://relais.example/fhir/CodeSystem/territory-service-type',
  /** supportingInfo.display of the medical journal entry holding the clinical context. */
  contextDisplay: 'Contexte clinique',
  /** supportingInfo.display of the journal entry announcing the referral. */
  announcementDisplay: 'Annonce au journal de coordination',
} as const;

/** Identifier values of the resources one referral creates, all derived from its outbox client id. */
export const referralIds = (clientId: string) => ({
  serviceRequest: clientId,
  /** The DocumentReference announcing it in the journal. */
  announcement: clientId,
  task: `${clientId}/task`,
  context: `${clientId}/context`,
  file: (i: number) => `${clientId}/${i}`,
});

/** A ServiceRequest or Task coded as a referral (the role policy tells them from admissions this way). */
export function isReferralCoded(concepts: readonly { coding?: readonly { system?: string; code?: string }[] }[] | undefined): boolean {
  return (concepts ?? []).some((c) => (c.coding ?? []).some((x) => x.system === REFERRAL.category.system && x.code === REFERRAL.category.code));
}
