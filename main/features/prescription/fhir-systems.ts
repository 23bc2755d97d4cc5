/**
 * Code systems of the e-prescription's medications (issue 14 item 4), checked against the
 * sources (docs/fhir-mapping.md « E-prescription », docs/prescription.md):
 * - CIS: `urn:oid:1.2.250.1.213.2.3.1`, the code system « CIS » of the ANS document IGs
 *   (ansforge/IG-document-core, FrCIS: « Codes CIS publiés par l'ANSM »);
 * - ANSM substance codes: `http://data.esante.gouv.fr/ansm/medicament/substance`, the alias
 *   $TechANSM of Interop'Santé's hl7.fhir.fr.medication (the BDPM « code substance »);
 * - routes: EDQM Standard Terms `http://standardterms.edqm.eu`, the FR medication IG's
 *   FrRouteOfAdministration (extensible): the BDPM's French route, with the EDQM code when known.
 */
export const CIS_SYSTEM = 'urn:oid:1.2.250.1.213.2.3.1';
export const ANSM_SUBSTANCE_SYSTEM = 'http://data.esante.gouv.fr/ansm/medicament/substance';
export const EDQM_SYSTEM = 'http://standardterms.edqm.eu';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const DOSE_RATE_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/dose-rate-type';
/**
 * Why a line is « non substituable » (arrêté du 12 novembre 2019): no national code system is
 * published for MTE / EFG / CIF, so a Relais one on MedicationRequest.substitution.reason.
 */
export const NON_SUBSTITUTABLE_SYSTEM = 'https://relais.example/fhir/CodeSystem/non-substituable';

/** BDPM route (French) → EDQM Standard Terms « route of administration ». */
export const EDQM_ROUTES: Readonly<Record<string, { code: string; display: string }>> = {
  orale: { code: '20053000', display: 'Oral use' },
  cutanée: { code: '20003000', display: 'Cutaneous use' },
  intraveineuse: { code: '20045000', display: 'Intravenous use' },
  'sous-cutanée': { code: '20066000', display: 'Subcutaneous use' },
  intramusculaire: { code: '20035000', display: 'Intramuscular use' },
  sublinguale: { code: '20067000', display: 'Sublingual use' },
  ophtalmique: { code: '20051000', display: 'Ocular use' },
  inhalée: { code: '20020000', display: 'Inhalation use' },
  transdermique: { code: '20070000', display: 'Transdermal use' },
  rectale: { code: '20061000', display: 'Rectal use' },
  nasale: { code: '20049000', display: 'Nasal use' },
  vaginale: { code: '20072000', display: 'Vaginal use' },
};

/** Units a UCUM code is sure for; others travel as text (« comprimé » has no UCUM unit). */
export const UCUM_UNITS: Readonly<Record<string, string>> = { mg: 'mg', g: 'g', µg: 'ug', ml: 'mL', ui: '[iU]' };
