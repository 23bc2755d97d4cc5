/**
 * The sandbox platform's own code systems, identifier systems and extension URLs.
 *
 * Written from the implementation guides (FR Core, ANS directory and « cahier de liaison », the
 * FR medication IG, HL7 R4 terminology) and docs/fhir-mapping.md — deliberately NOT imported from
 * the client (main/platform/fhir): a stand-in platform that reused Relais' constants would confirm
 * a mapping mistake instead of exposing it. When both sides agree it is because both follow the
 * same guide, and a test asserting on a literal URI checks one against the other.
 */

/** HL7 France FR Core (https://hl7.fr/ig/fhir/core). */
export const FR_CORE = {
  patientInsProfile: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins',
  identityReliabilityExtension: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
  identityStatusCodeSystem: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-status',
  birthListGivenNameExtension: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name',
  /** The INSEE code sits in an extension of the birthPlace Address. */
  inseeCodeExtension: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code',
  /** Identifier.type codes: INS-NIR-TEST, INS-NIR-DEMO, IDNPS, RPPS… */
  identifierTypeCodeSystem: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
} as const;

/** Core R4 extension FR Core builds the birth place on. */
export const PATIENT_BIRTH_PLACE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';

/** The four INS OIDs (DOMAIN.md). Seeded data uses only TEST and DEMO, never the real NIR one. */
export const INS_OID = {
  nir: '1.2.250.1.213.1.4.8',
  nia: '1.2.250.1.213.1.4.9',
  test: '1.2.250.1.213.1.4.10',
  demo: '1.2.250.1.213.1.4.11',
} as const;

/** ANS: national identifiers of professionals and structures, and the NOS terminologies. */
export const ANS = {
  /** idNatPS: `8` + RPPS, `0` + ADELI, `3` + FINESS + `/` + number for structure staff. */
  idNatPsSystem: 'urn:oid:1.2.250.1.71.4.2.1',
  rppsSystem: 'https://rpps.esante.gouv.fr',
  finessSystem: 'https://finess.esante.gouv.fr',
  /** TRE-G15 ProfessionSante: 10 médecin, 21 pharmacien, 60 infirmier, 70 masseur-kinésithérapeute. */
  professionCodeSystem: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante',
  /** TRE-R38 SpecialiteOrdinale (SM54 médecine générale). */
  specialtyCodeSystem: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale',
  /** TRE-R13 CommuneOM: INSEE commune codes. */
  communeCodeSystem: 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM',
} as const;

/** ANS CI-SIS « cahier de liaison » (package ans.fhir.fr.cdl, canonical https://interop.esante.gouv.fr/ig/fhir/cdl). */
export const CAHIER_DE_LIAISON = {
  documentReferenceProfile: 'https://interop.esante.gouv.fr/ig/fhir/cdl/StructureDefinition/cdl-document-reference',
  isEmergencyExtension: 'https://interop.esante.gouv.fr/ig/fhir/cdl/StructureDefinition/cdl-ext-is-emergency',
} as const;

/**
 * Visibility of a journal entry (DocumentReference.securityLabel). The cdl names a JDV_J110 value
 * set whose codes are not pinned; the platform reads HL7 v3 Confidentiality as docs/fhir-mapping.md
 * documents it: R (restricted) and V (very restricted) are medical, N is normal.
 */
export const CONFIDENTIALITY = {
  codeSystem: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  restricted: 'R',
  veryRestricted: 'V',
  normal: 'N',
} as const;

/**
 * SNOMED CT codings the platform tells requests apart by (no French value set exists for either):
 * 3457005 « Patient referral » (listed by the R4 example value set servicerequest-category) and
 * 305056002 « Admission procedure ».
 */
export const SNOMED = {
  system: 'http://snomed.info/sct',
  referral: { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' },
  admission: { system: 'http://snomed.info/sct', code: '305056002', display: 'Admission procedure' },
} as const;

/**
 * Local systems of this coordination platform where no French or international one exists
 * (each one is listed with its reason in docs/fhir-mapping.md).
 */
export const PLATFORM = {
  /** DocumentReference.type: text, voice, photo, document, alert, appointment, hospitalisation, treatment-change… */
  journalKindCodeSystem: 'https://relais.example/fhir/CodeSystem/journal-kind',
  /** DocumentReference.category `administrative`: what practice staff may post. */
  journalCategoryCodeSystem: 'https://relais.example/fhir/CodeSystem/journal-category',
  /** Practitioner.qualification of structure staff (CPE holders), who have no TRE-G15 profession. */
  staffFunctionCodeSystem: 'https://relais.example/fhir/CodeSystem/staff-function',
  /** Professions outside TRE-G15 (social workers). */
  professionCodeSystem: 'https://relais.example/fhir/CodeSystem/profession',
  /** PractitionerRole.code carrying the label shown next to a name (« Infirmière à domicile »). */
  roleLabelCodeSystem: 'https://relais.example/fhir/CodeSystem/role-label',
  /** Flag.code: degradation, non-observance, hospitalisation, new-document. */
  alertKindCodeSystem: 'https://relais.example/fhir/CodeSystem/alert-kind',
  /** CarePlan.activity.detail.code: intervention, review (the PPS review date). */
  ppsActivityCodeSystem: 'https://relais.example/fhir/CodeSystem/pps-activity',
  /** CarePlan.category `pps`. */
  carePlanCategoryCodeSystem: 'https://relais.example/fhir/CodeSystem/care-plan-category',
  /** MedicationRequest.groupIdentifier: one ordonnance (FR medication IG groups its lines this way). */
  prescriptionIdNamingSystem: 'https://relais.example/fhir/NamingSystem/prescription-id',
  /** Organization.type of the territory's services (SSIAD, DAC, EMG). */
  territoryServiceTypeCodeSystem: 'https://relais.example/fhir/CodeSystem/territory-service-type',
  /** Organization.type of health establishments. */
  establishmentTypeCodeSystem: 'https://relais.example/fhir/CodeSystem/establishment-type',
  /** PractitionerRole.identifier: the practice's Assurance Maladie number (no published NamingSystem found). */
  amNumberNamingSystem: 'https://relais.example/fhir/NamingSystem/numero-assurance-maladie',
} as const;

/** French label of each seeded journal kind (DocumentReference.type display and text). */
export const JOURNAL_KIND_LABEL: Readonly<Record<string, string>> = {
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

/**
 * The support cell (« cellule d'appui », DAC) and its requests (issue 13), as the platform names
 * them: same literals as docs/fhir-mapping.md « Support cell requests ».
 */
export const SUPPORT_CELL = {
  requestCategory: { system: 'https://relais.example/fhir/CodeSystem/coordination-request', code: 'support-cell' },
  serviceCategory: { system: 'https://relais.example/fhir/CodeSystem/healthcare-service-category', code: 'support-cell', display: "Cellule d'appui à la coordination" },
  departementSystem: 'https://relais.example/fhir/NamingSystem/departement',
  stepSystem: 'https://relais.example/fhir/CodeSystem/support-step',
} as const;

/**
 * Specialist opinions (« Demande d'avis », issue 13 item 2): same literals as
 * main/features/opinion/fhir-mapping.ts and docs/fhir-mapping.md « Demande d'avis ».
 */
export const OPINION = {
  requestCategory: { system: 'https://relais.example/fhir/CodeSystem/coordination-request', code: 'opinion' },
  actionCode: { system: 'https://relais.example/fhir/CodeSystem/coordination-request', code: 'opinion-action', display: "Action demandée par l'avis" },
  serviceCategory: { system: 'https://relais.example/fhir/CodeSystem/healthcare-service-category', code: 'opinion-referent', display: "Avis spécialisé à distance" },
} as const;
