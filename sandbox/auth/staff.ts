/**
 * Structure staff known to the sandbox's card sign-in (CPE holders): not health professionals, so
 * no RPPS and no TRE-G15 profession. The seed lists them as a Practitioner identified by idNatPS
 * only, with a staff function (sandbox/seed/staff.ts), and puts them in the care teams of their
 * structure's patients (the secretariat of the MSP); /auth/card answers them with that `staff-…`
 * id. The id convention is docs/card-sign-in.md's: '3' + FINESS + '/' + staff number.
 */
export interface StaffMember {
  id: string;
  idNatPs: string;
  familyName: string;
  givenName: string;
  roleLabel: string;
  organization: string;
  /** Seed region whose patients' care teams include this secretariat. */
  region: 'landes' | 'meuse';
}

export const SANDBOX_STAFF: readonly StaffMember[] = [
  {
    id: 'staff-labeyrie',
    idNatPs: '3409990011/SEC0001',
    familyName: 'LABEYRIE',
    givenName: 'Martine',
    roleLabel: 'Secrétaire médicale',
    organization: 'MSP des Arènes, Mont-de-Marsan',
    region: 'landes',
  },
];
