/**
 * Structure staff (CPE holders: secretaries) as the platform lists them: a Practitioner with an
 * idNatPS identifier and no RPPS, qualified by a staff function rather than a TRE-G15 profession,
 * and one PractitionerRole in their structure. Their role is in the care teams of their region's
 * patients, so a secretary's « patients suivis » is the structure's. See docs/roles.md.
 */
import type { CareTeamParticipant, Practitioner, PractitionerRole, Resource } from '@medplum/fhirtypes';
import { ANS, FR_CORE, PLATFORM } from '../fhir/systems';
import { SANDBOX_STAFF, type StaffMember } from '../auth/staff';

const ascii = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '-');

export const staffRoleIdOf = (staffId: string): string => `role-${staffId}`;

const SECRETARY_FUNCTION = { code: 'secretary', display: 'Secrétaire médicale' } as const;

export function staffResources(lastUpdated: string): Resource[] {
  return SANDBOX_STAFF.flatMap((s, i): Resource[] => {
    const practitioner: Practitioner = {
      resourceType: 'Practitioner',
      id: s.id,
      meta: { versionId: '1', lastUpdated },
      identifier: [
        { use: 'official', type: { coding: [{ system: FR_CORE.identifierTypeCodeSystem, code: 'IDNPS' }] }, system: ANS.idNatPsSystem, value: s.idNatPs },
      ],
      active: true,
      name: [{ use: 'official', family: s.familyName, given: [s.givenName] }],
      qualification: [{ code: { coding: [{ system: PLATFORM.staffFunctionCodeSystem, ...SECRETARY_FUNCTION }] } }],
    };
    const role: PractitionerRole = {
      resourceType: 'PractitionerRole',
      id: staffRoleIdOf(s.id),
      meta: { versionId: '1', lastUpdated },
      active: true,
      practitioner: { reference: `Practitioner/${s.id}`, display: `${s.givenName} ${s.familyName}` },
      organization: { display: s.organization },
      // Fictitious contacts like the referential's (01 99 00 xx xx is reserved for fiction).
      telecom: [
        { system: 'phone', value: `01 99 00 90 ${String(i + 1).padStart(2, '0')}`, use: 'work' },
        { system: 'email', value: `${ascii(s.givenName)}.${ascii(s.familyName)}@example.org`, use: 'work' },
      ],
      code: [
        { coding: [{ system: PLATFORM.staffFunctionCodeSystem, ...SECRETARY_FUNCTION }] },
        { coding: [{ system: PLATFORM.roleLabelCodeSystem, code: 'secretary', display: s.roleLabel }], text: s.roleLabel },
      ],
    };
    return [practitioner, role];
  });
}

/** The secretariat participants of a care team in this region (none elsewhere). */
export function staffParticipants(region: StaffMember['region']): CareTeamParticipant[] {
  return SANDBOX_STAFF.filter((s) => s.region === region).map((s) => ({
    role: [{ coding: [{ system: PLATFORM.roleLabelCodeSystem, code: 'secretary', display: s.roleLabel }], text: s.roleLabel }],
    member: { reference: `PractitionerRole/${staffRoleIdOf(s.id)}`, display: `${s.givenName} ${s.familyName}` },
  }));
}
