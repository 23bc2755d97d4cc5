/**
 * The directory's wound-care referent (« référent plaies et cicatrisation », issue 13 item 2: the
 * programme's first experiment of opinions at a distance, for GPs and nurses at home): a
 * physician of the territorial team (Practitioner + PractitionerRole) and the team as a
 * HealthcareService of category opinion-referent, which Relais lists as « Avis demandés » targets.
 * sandbox/actors/opinion-referent.ts answers in the referent's name. Fictitious identities.
 */
import type { HealthcareService, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { ANS, FR_CORE, OPINION, PLATFORM } from '../fhir/systems';
import { testRpps } from './rpps';

export const WOUND_REFERENT = {
  practitioner: 'prac-referent-plaies',
  role: 'role-referent-plaies',
  name: 'Dr Camille ETCHEVERRY',
  service: 'hs-plaies-landes',
  serviceName: 'Référent plaies et cicatrisation — équipe territoriale des Landes',
} as const;

export function opinionReferentResources(lastUpdated: string): (Practitioner | PractitionerRole | HealthcareService)[] {
  const rpps = testRpps('0801');
  return [
    {
      resourceType: 'Practitioner',
      id: WOUND_REFERENT.practitioner,
      meta: { versionId: '1', lastUpdated },
      identifier: [
        { use: 'official', type: { coding: [{ system: FR_CORE.identifierTypeCodeSystem, code: 'IDNPS' }] }, system: ANS.idNatPsSystem, value: `8${rpps}` },
        { use: 'official', type: { coding: [{ system: FR_CORE.identifierTypeCodeSystem, code: 'RPPS' }] }, system: ANS.rppsSystem, value: rpps },
      ],
      active: true,
      name: [{ use: 'official', family: 'ETCHEVERRY', given: ['Camille'], prefix: ['Dr'] }],
      gender: 'female',
      qualification: [{ code: { coding: [{ system: ANS.professionCodeSystem, code: '10', display: 'Médecin' }] } }],
    },
    {
      resourceType: 'PractitionerRole',
      id: WOUND_REFERENT.role,
      meta: { versionId: '1', lastUpdated },
      active: true,
      practitioner: { reference: `Practitioner/${WOUND_REFERENT.practitioner}`, display: WOUND_REFERENT.name },
      code: [
        { coding: [{ system: ANS.professionCodeSystem, code: '10', display: 'Médecin' }] },
        { coding: [{ system: PLATFORM.roleLabelCodeSystem, code: 'specialist', display: 'Référente plaies et cicatrisation' }], text: 'Référente plaies et cicatrisation' },
      ],
      healthcareService: [{ reference: `HealthcareService/${WOUND_REFERENT.service}` }],
      // Fictitious contacts like every seeded role's (01 99 00 xx xx is reserved for fiction).
      telecom: [
        { system: 'phone', value: '01 99 00 40 41', use: 'work' },
        { system: 'email', value: 'camille.etcheverry@example.org', use: 'work' },
      ],
    },
    {
      resourceType: 'HealthcareService',
      id: WOUND_REFERENT.service,
      meta: { versionId: '1', lastUpdated },
      active: true,
      category: [{ coding: [{ ...OPINION.serviceCategory }] }],
      specialty: [{ text: 'Plaies et cicatrisation' }],
      name: WOUND_REFERENT.serviceName,
      comment: 'Avis à distance sur photos pour les médecins traitants et les infirmiers à domicile.',
      coverageArea: [{ identifier: { system: 'https://relais.example/fhir/NamingSystem/departement', value: '40' }, display: 'Landes (40)' }],
    },
  ];
}
