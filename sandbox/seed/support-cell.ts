/**
 * The territory's support cells (« cellule d'appui », DAC) as HealthcareServices (issue 13): one
 * per département, provided by the DAC Organization of sandbox/seed/services.ts, whose
 * coverageArea names the département it serves (a logical reference by INSEE code). Relais finds
 * the patient's cell from the patient's home postal code. Phone numbers are fictitious.
 */
import type { HealthcareService } from '@medplum/fhirtypes';
import { SUPPORT_CELL } from '../fhir/systems';

const CELLS = [
  { id: 'hs-dac-landes', name: 'Cellule d’appui — DAC des Landes', org: 'org-dac-landes', orgName: 'DAC des Landes', dep: '40', area: 'Landes (40)', phone: '01 99 00 40 40' },
  { id: 'hs-dac-meuse', name: 'Cellule d’appui — DAC Meuse', org: 'org-dac-meuse', orgName: 'DAC Meuse', dep: '55', area: 'Meuse (55)', phone: '01 99 00 55 55' },
] as const;

export function supportCellResources(lastUpdated: string): HealthcareService[] {
  return CELLS.map((c) => ({
    resourceType: 'HealthcareService',
    id: c.id,
    meta: { versionId: '1', lastUpdated },
    active: true,
    providedBy: { reference: `Organization/${c.org}`, display: c.orgName },
    category: [{ coding: [{ ...SUPPORT_CELL.serviceCategory }] }],
    name: c.name,
    telecom: [{ system: 'phone', value: c.phone, use: 'work' }],
    coverageArea: [{ identifier: { system: SUPPORT_CELL.departementSystem, value: c.dep }, display: c.area }],
  }));
}
