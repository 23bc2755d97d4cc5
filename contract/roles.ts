/**
 * Roles and permissions (issue 6). Derived from the profession (TRE-G15) and the card type,
 * never chosen by the user; enforced by the core on every API call and again by the platform
 * (sandbox) on every write — the UI only hides what the role cannot do.
 *
 *   physician             (CPS/PSC, profession 10)  everything
 *   health-professional   (CPS/PSC, other professions: nurse, physio, pharmacist…)
 *                         reads everything, writes journal entries, updates tasks
 *   secretary             (CPE: structure staff) admissions, appointments and administrative
 *                         entries; never prescribes, never edits the PPS, never reads entries
 *                         marked medical
 */
import { z } from 'zod';

export const ROLES = ['physician', 'health-professional', 'secretary'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const PERMISSIONS = [
  /** Open a patient, read the journal's non-medical entries and the panels. */
  'patient.read',
  /** Read journal entries marked medical (securityLabel, docs/fhir-mapping.md). */
  'journal.read-medical',
  /** Post any journal entry (text, voice, photo, file, reply, alert acknowledgement). */
  'journal.write',
  /** Post administrative entries only (appointments, admissions, paperwork). */
  'journal.write-administrative',
  /** Change a coordination task's status. */
  'task.update',
  /** Draft, sign and post an e-prescription (MedicationRequest). */
  'prescription.write',
  /** Edit the PPS (CarePlan and its goals / activities). */
  'pps.edit',
  /** Referral (adressage) to another professional or service. */
  'referral.write',
  /** Hospital admission requests. */
  'admission.manage',
  /** Book, move or cancel appointments. */
  'appointment.manage',
  /** Ask the territory's support cell (DAC) to follow a patient (a secretary on a GP's behalf). */
  'support.request',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  physician: PERMISSIONS,
  'health-professional': ['patient.read', 'journal.read-medical', 'journal.write', 'journal.write-administrative', 'task.update', 'support.request'],
  secretary: ['patient.read', 'journal.write-administrative', 'admission.manage', 'appointment.manage', 'support.request'],
};

/** TRE-G15 « Médecin ». */
export const PROFESSION_PHYSICIAN = '10';

/** The role of a signed-in holder: a CPE card is staff whatever else it says. */
export function roleOf(holder: { cardKind?: 'CPS' | 'CPE' | null; professionCode?: string | null }): Role {
  if (holder.cardKind === 'CPE') return 'secretary';
  if (holder.professionCode === PROFESSION_PHYSICIAN) return 'physician';
  return 'health-professional';
}

export function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
