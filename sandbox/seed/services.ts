/**
 * Services of the territory a GP refers patients to (« adressage » / « orientation »): home nursing
 * (SSIAD), the coordination support service (DAC), the hospital's mobile geriatric team. Not
 * establishments (they take no admission requests): typed with the territory-service code system so
 * the referral form lists them (main/platform/fhir/referral-adapter.ts listReferralRecipients) and
 * the admission form does not. Names, addresses and phone numbers are fictitious.
 */
import type { Organization } from '@medplum/fhirtypes';
import { REFERRAL } from '../../main/features/referral/fhir-systems';

const SERVICES: readonly { id: string; name: string; city: string; postalCode: string; type: { code: string; display: string } }[] = [
  { id: 'org-ssiad-marsan', name: 'SSIAD du Marsan', city: 'Mont-de-Marsan', postalCode: '40000', type: { code: 'SSIAD', display: 'Service de soins infirmiers à domicile' } },
  { id: 'org-dac-landes', name: 'DAC des Landes', city: 'Mont-de-Marsan', postalCode: '40000', type: { code: 'DAC', display: "Dispositif d'appui à la coordination" } },
  { id: 'org-emg-mont-de-marsan', name: 'Équipe mobile gériatrique — CH de Mont-de-Marsan', city: 'Mont-de-Marsan', postalCode: '40000', type: { code: 'EMG', display: 'Équipe mobile gériatrique' } },
  { id: 'org-ssiad-verdun', name: 'SSIAD de Verdun', city: 'Verdun', postalCode: '55100', type: { code: 'SSIAD', display: 'Service de soins infirmiers à domicile' } },
  { id: 'org-dac-meuse', name: 'DAC Meuse', city: 'Bar-le-Duc', postalCode: '55000', type: { code: 'DAC', display: "Dispositif d'appui à la coordination" } },
];

export function serviceResources(lastUpdated: string): Organization[] {
  return SERVICES.map((s) => ({
    resourceType: 'Organization',
    id: s.id,
    meta: { versionId: '1', lastUpdated },
    active: true,
    type: [{ coding: [{ system: REFERRAL.serviceType, code: s.type.code, display: s.type.display }] }],
    name: s.name,
    address: [{ use: 'work', postalCode: s.postalCode, city: s.city, country: 'FRA' }],
  }));
}
