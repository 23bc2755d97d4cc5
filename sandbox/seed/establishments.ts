/**
 * Health establishments that take admission requests, beyond the structures where seeded
 * professionals work (sandbox/seed/structures.ts already holds three hospitals). Fictitious FINESS
 * numbers (department prefix then 99…), like structures.ts. Marked with an establishment type so the
 * admission form lists them (main/platform/fhir/agenda-adapter.ts listEstablishments).
 */
import type { Organization } from '@medplum/fhirtypes';
import { AGENDA } from '../../main/features/agenda/fhir-systems';

const ESTABLISHMENTS: readonly { id: string; name: string; city: string; postalCode: string; finess: string; type: { code: string; display: string } }[] = [
  { id: 'org-ch-saint-sever', name: 'Centre hospitalier de Saint-Sever', city: 'Saint-Sever', postalCode: '40500', finess: '400099995', type: { code: 'CH', display: 'Centre hospitalier' } },
  { id: 'org-had-landes', name: 'HAD des Landes (hospitalisation à domicile)', city: 'Mont-de-Marsan', postalCode: '40000', finess: '400099996', type: { code: 'HAD', display: 'Hospitalisation à domicile' } },
  { id: 'org-ch-bar-le-duc', name: 'Centre hospitalier de Bar-le-Duc', city: 'Bar-le-Duc', postalCode: '55000', finess: '550099997', type: { code: 'CH', display: 'Centre hospitalier' } },
];

export function establishmentResources(lastUpdated: string): Organization[] {
  return ESTABLISHMENTS.map((e) => ({
    resourceType: 'Organization',
    id: e.id,
    meta: { versionId: '1', lastUpdated },
    active: true,
    identifier: [{ system: AGENDA.finess, value: e.finess }],
    type: [{ coding: [{ system: AGENDA.establishmentType, code: e.type.code, display: e.type.display }] }],
    name: e.name,
    address: [{ use: 'work', postalCode: e.postalCode, city: e.city, country: 'FRA' }],
  }));
}
