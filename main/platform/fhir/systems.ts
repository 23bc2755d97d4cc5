/**
 * FHIR systems, extension URLs and code systems used by the Relais ↔ platform mapping.
 * Shared by the adapter (main/platform/fhir) and the sandbox seed so both speak the same profile.
 * See docs/fhir-mapping.md.
 */
export const INS_SYSTEM_PREFIX = 'urn:oid:';

export const FR_CORE = {
  patientInsProfile: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins',
  identityReliability: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
  identityStatusSystem: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-status',
  birthListGivenName: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name',
  /** Standard R4 birthPlace extension (Address); FR Core puts the INSEE code in address.extension. */
  birthPlace: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
  inseeCode: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code',
  identifierTypeSystem: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
} as const;

export const PS = {
  idNatPs: 'urn:oid:1.2.250.1.71.4.2.1',
  rpps: 'https://rpps.esante.gouv.fr',
  professionSystem: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante',
  specialtySystem: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale',
} as const;

export const CDL = {
  profile: 'https://interop.esante.gouv.fr/ig/fhir/cdl/StructureDefinition/cdl-document-reference',
  isEmergency: 'https://interop.esante.gouv.fr/ig/fhir/cdl/StructureDefinition/cdl-ext-is-emergency',
} as const;

/**
 * Confidentiality of a journal entry (DocumentReference.securityLabel). The CI-SIS cahier de
 * liaison names a visibility value set (JDV_J110) whose codes we could not confirm, so Relais uses
 * HL7 v3 Confidentiality: R (restricted) = medical, N (normal) otherwise. docs/fhir-mapping.md.
 */
export const CONFIDENTIALITY = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  medical: 'R',
  normal: 'N',
  /** Codes read as medical: restricted and very restricted. */
  medicalCodes: ['R', 'V'] as readonly string[],
} as const;

export const RELAIS = {
  journalKind: 'https://relais.example/fhir/CodeSystem/journal-kind',
  /** DocumentReference.category: `administrative` marks what a secretary may post (absent: care). */
  entryCategory: 'https://relais.example/fhir/CodeSystem/journal-category',
  /** Function of structure staff (CPE holders), on their Practitioner.qualification: they have no TRE-G15 profession. */
  staffFunction: 'https://relais.example/fhir/CodeSystem/staff-function',
  /** Free role label shown next to an author's name ("Infirmière à domicile"…), on PractitionerRole.code. */
  roleLabel: 'https://relais.example/fhir/CodeSystem/role-label',
  /** CarePlan.activity.detail.code of a PPS (`intervention`, or `review` for its review date): the panels read it, PPS editing writes it. */
  ppsActivity: 'https://relais.example/fhir/CodeSystem/pps-activity',
  /** Organization.type of the directory's health establishments: admissions list them, referrals name them. */
  establishmentType: 'https://relais.example/fhir/CodeSystem/establishment-type',
} as const;

export const KIND_DISPLAY: Record<string, string> = {
  text: 'Note',
  voice: 'Message vocal',
  photo: 'Photo',
  document: 'Document',
  alert: 'Alerte',
  appointment: 'Rendez-vous',
  hospitalisation: 'Hospitalisation',
  'treatment-change': 'Modification de traitement',
  referral: 'Adressage',
  pps: 'PPS',
  'admission-request': "Demande d'admission",
};
