/**
 * Which permission (contract/roles.ts) each API method needs. The core refuses a call without it
 * (FORBIDDEN, audited as permission.denied: main/session/permissions.ts); the window uses the same
 * table to hide what the role cannot do. `Record<ApiMethod, …>`: a new API method does not compile
 * until it is classified here.
 *
 * null: the method touches no patient data (the session itself, per-machine settings, the
 * professional's own audit trail) and is open to every role.
 */
import type { ApiMethod, ApiRequest } from './api';
import { can, type Permission, type Role } from './roles';

export const METHOD_PERMISSIONS: Readonly<Record<ApiMethod, Permission | null>> = {
  // Signing in (session host): before any professional exists, nothing to check against.
  'auth.status': null,
  'auth.signInCard': null,
  'auth.signInDemo': null,
  'auth.signInPsc': null,
  'auth.cancelPsc': null,
  'auth.signOut': null,
  'session.current': null,
  'session.lock': null,
  'session.unlock': null,
  'settings.followLgc': null,
  'audit.list': null,
  'audit.exportCsv': null,
  'audit.verify': null,
  'patient.open': 'patient.read',
  'patient.list': 'patient.read',
  'patient.confirmIdentity': 'patient.read',
  'patient.choose': 'patient.read',
  'patient.panels': 'patient.read',
  'alerts.list': 'patient.read',
  'alerts.ofPatient': 'patient.read',
  // Taking a clinical alert into account is a care act: not a secretary's (she sees its title only).
  'alert.handle': 'journal.write',
  'journal.page': 'patient.read',
  'journal.facets': 'patient.read',
  'journal.markRead': 'patient.read',
  'journal.pin': 'patient.read',
  'draft.get': 'patient.read',
  'draft.save': 'patient.read',
  'outbox.list': 'patient.read',
  // Only this professional's own outbox (one store per professional); what was enqueued was checked then.
  'outbox.retry': 'patient.read',
  'outbox.discard': 'patient.read',
  'outbox.form': 'patient.read',
  // The least a post needs; requiredPermission() asks for journal.write unless it is administrative.
  'journal.post': 'journal.write-administrative',
  // An acknowledgement is a care answer to a clinical alert.
  'alert.acknowledge': 'journal.write',
  'task.updateStatus': 'task.update',
  'pps.update': 'pps.edit',
  // Reads back what this professional typed in a refused PPS update: only an editor has any.
  'pps.recoverEdit': 'pps.edit',
  // A draft is already a prescription in the making: a role that may not prescribe does not draft either.
  'prescription.draft.get': 'prescription.write',
  'prescription.draft.save': 'prescription.write',
  'prescription.pdf': 'prescription.write',
  'prescription.post': 'prescription.write',
  // The drug database is public data, but only a prescriber searches it to write a line.
  'prescription.drugs.search': 'prescription.write',
  'prescription.drugs.release': 'prescription.write',
  'prescription.sign': 'prescription.write',
  // Agenda and admissions (contract/features/agenda.ts): what a practice secretary manages.
  'appointment.book': 'appointment.manage',
  'appointment.reschedule': 'appointment.manage',
  'appointment.cancel': 'appointment.manage',
  'appointment.dismissChange': 'appointment.manage',
  'admission.request': 'admission.manage',
  'admission.cancel': 'admission.manage',
  'admission.remind': 'admission.manage',
  'admission.list': 'patient.read',
  'admission.establishments': 'admission.manage',
  // Referrals (contract/features/referral.ts): only a physician refers; the list is read by the whole team.
  'referral.create': 'referral.write',
  'referral.list': 'patient.read',
  'referral.recipients': 'referral.write',
  // Daily flow (contract/features/flow.ts): the list reads what the professional may read; a task is care coordination.
  'todo.list': 'patient.read',
  'task.createFromEntry': 'task.update',
  // Clinical header: staff get the contacts only (the handler drops the clinical part).
  'patient.clinicalSummary': 'patient.read',
  // Support cell (contract/features/support-request.ts): GP, nurse, or the secretary on a GP's behalf.
  'supportRequest.create': 'support.request',
  'supportRequest.list': 'patient.read',
  'supportRequest.context': 'support.request',
  // Hospital stays (contract/features/hospital-stay.ts): the fiche and the reconciliation carry
  // treatments (medical); the admission checklist is coordination, open to the secretary.
  'stay.emergencyFiche': 'journal.write',
  'stay.establishments': 'journal.write',
  'stay.discharges': 'journal.read-medical',
  'stay.checklist': 'patient.read',
  'stay.checklist.tick': 'support.request',
  // Opinion (contract/features/opinion.ts): care professionals ask (GP, nurse); question and photos are medical.
  'opinion.referents': 'journal.write',
  'opinion.create': 'journal.write',
  'opinion.list': 'journal.read-medical',
};

/**
 * The permissions one call by this role needs, its request considered: a care post needs
 * journal.write (a post without category is care, except a secretary's, which is administrative),
 * a post marked medical needs journal.read-medical too (nobody writes what they may not read).
 */
export function requiredPermissions<M extends ApiMethod>(role: Role, method: M, request: ApiRequest<M> | undefined): Permission[] {
  const base = METHOD_PERMISSIONS[method];
  if (method === 'journal.post') {
    const post = (request ?? {}) as ApiRequest<'journal.post'>;
    const category = post.category ?? defaultPostCategory(role);
    const out: Permission[] = [category === 'administrative' ? 'journal.write-administrative' : 'journal.write'];
    if (post.confidentiality === 'medical') out.push('journal.read-medical');
    return out;
  }
  if (method === 'admission.request') {
    // The clinical summary is posted as a medical entry: only who may read medical entries writes one.
    const summary = ((request ?? {}) as ApiRequest<'admission.request'>).clinicalSummary?.trim();
    return summary ? ['admission.manage', 'journal.read-medical'] : ['admission.manage'];
  }
  if (method === 'supportRequest.create') {
    // Medical details are a medical entry: never written by who may not read them (a secretary).
    const details = ((request ?? {}) as ApiRequest<'supportRequest.create'>).medicalDetails?.trim();
    return details ? ['support.request', 'journal.read-medical'] : ['support.request'];
  }
  // The question and the photos are a medical entry: never written by who may not read them.
  if (method === 'opinion.create') return ['journal.write', 'journal.read-medical'];
  return base === null ? [] : [base];
}

/** The first permission this role lacks for the call, or null when it may make it. */
export function missingPermission<M extends ApiMethod>(role: Role, method: M, request: ApiRequest<M> | undefined): Permission | null {
  return requiredPermissions(role, method, request).find((p) => !can(role, p)) ?? null;
}

/** The default category of a post by this role: a secretary only posts administrative entries. */
export function defaultPostCategory(role: Role): 'care' | 'administrative' {
  return can(role, 'journal.write') ? 'care' : 'administrative';
}
