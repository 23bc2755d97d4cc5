/**
 * Structure staff known to the sandbox's card sign-in (CPE holders): not health professionals,
 * so not in the FHIR referential (no Practitioner, no care team); /auth/card answers them with a
 * `staff-…` id. The id convention is docs/card-sign-in.md's: '3' + FINESS + '/' + staff number.
 */
export interface StaffMember {
  id: string;
  idNatPs: string;
  familyName: string;
  givenName: string;
  roleLabel: string;
  organization: string;
}

export const SANDBOX_STAFF: readonly StaffMember[] = [
  {
    id: 'staff-labeyrie',
    idNatPs: '3409990011/SEC0001',
    familyName: 'LABEYRIE',
    givenName: 'Martine',
    roleLabel: 'Secrétaire médicale',
    organization: 'MSP des Arènes, Mont-de-Marsan',
  },
];
