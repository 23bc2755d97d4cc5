/**
 * Role enforcement by the sandbox platform (issue 6), the second line behind the core's own check
 * (main/session/permissions.ts): a client that skips Relais' checks, or a script holding a
 * secretary's token, is refused here all the same.
 *
 * - Writes: each resource type needs a permission (contract/roles.ts); without it → 403 with an
 *   OperationOutcome `forbidden`. A DocumentReference needs journal.write unless its category is
 *   administrative (then journal.write-administrative), and journal.read-medical when it is
 *   labelled medical. Transaction / batch bundles: refused to holders by route-policy.ts (this entry-by-entry check is a second line).
 * - Reads: a role without journal.read-medical never receives a medical DocumentReference nor a
 *   treatment (isWithheldFrom): a read answers 404 (its existence is not confirmed), a search
 *   drops it from the page. Applied to every route, with the care-team scope, by route-policy.ts.
 *
 * Only requests that carry a card-session token have a role. Without cardAuth (demo, most tests)
 * requests carry no identity and everything stays allowed, as before: see docs/roles.md.
 */
import type { Bundle, DocumentReference, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { can, type Permission, type Role } from '../../contract/roles';
import { isAdministrativeEntry, isLabelledMedical, isOpinionRequest, isReferral, isSupportCellRequest } from '../fhir/labels';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What writing each resource type needs (types not listed: no role check, e.g. Binary for attachments). */
const WRITE_PERMISSION: Readonly<Record<string, Permission | ((body: Resource | undefined) => Permission[])>> = {
  MedicationRequest: 'prescription.write',
  MedicationStatement: 'prescription.write',
  CarePlan: 'pps.edit',
  Goal: 'pps.edit',
  /** The PPS's problem situations. */
  Condition: 'pps.edit',
  /** Updates only (status): creation is handled in checkWrite. */
  Task: 'task.update',
  Appointment: 'appointment.manage',
  // A document sent to an establishment (issue 13: the emergency fiche) is a care write.
  Communication: 'journal.write',
  Flag: 'journal.write',
  DocumentReference: (body) => {
    const doc = body?.resourceType === 'DocumentReference' ? (body as DocumentReference) : undefined;
    const needs: Permission[] = [doc && isAdministrativeEntry(doc) ? 'journal.write-administrative' : 'journal.write'];
    if (doc && isLabelledMedical(doc)) needs.push('journal.read-medical');
    return needs;
  },
};

export interface Refusal {
  status: 403;
  outcome: OperationOutcome;
}

function forbidden(role: Role, permission: Permission, what: string): Refusal {
  const diagnostics = `Forbidden: role ${role} lacks ${permission} (${what})`;
  return {
    status: 403,
    outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', details: { text: diagnostics }, diagnostics }] },
  };
}

/** The resource type a request path addresses (`MedicationRequest`, `CarePlan/12`, `Task/3/_history/2`). */
function resourceTypeOf(path: string): string {
  return path.split('?')[0]!.split('/')[0] ?? '';
}

/** null: allowed; else the 403 to answer. `path` is relative to /fhir, without a leading slash. */
export function checkWrite(role: Role, method: string, path: string, body: unknown): Refusal | null {
  const m = method.toUpperCase();
  if (!WRITE_METHODS.has(m)) return null;
  const type = resourceTypeOf(path);
  if (type === '' && m === 'POST' && isBundle(body)) {
    for (const entry of body.entry ?? []) {
      const refused = checkWrite(role, entry.request?.method ?? 'POST', entry.request?.url ?? entry.resource?.resourceType ?? '', entry.resource);
      if (refused) return refused;
    }
    return null;
  }
  // Creating a Task is how an admission request or a referral is followed (docs/fhir-mapping.md):
  // allowed to whoever may make one of those; changing a Task (its status) needs task.update.
  if (type === 'Task' && m === 'POST') {
    // A referral's Task (Task.code = referral) only from who may refer: a secretary follows admissions, never refers.
    const task = body as { resourceType?: string; code?: { coding?: { system?: string; code?: string }[] } } | undefined;
    // A request to the support cell (issue 13): the GP, a nurse, or the secretary on a GP's behalf.
    if (task?.resourceType === 'Task' && task.code && isSupportCellRequest([task.code])) {
      return can(role, 'support.request') ? null : forbidden(role, 'support.request', 'POST Task (support cell)');
    }
    if (task?.resourceType === 'Task' && task.code && isReferral([task.code])) {
      return can(role, 'referral.write') ? null : forbidden(role, 'referral.write', 'POST Task (referral)');
    }
    const creators: Permission[] = ['task.update', 'admission.manage', 'referral.write'];
    return creators.some((p) => can(role, p)) ? null : forbidden(role, 'task.update', 'POST Task');
  }
  // An admission request's Task (code SNOMED 305056002, or the « Demande d'admission » of the first
  // ones) is cancelled or chased by whoever manages admissions — a secretary included (issue 15).
  if (type === 'Task' && (m === 'PUT' || m === 'DELETE') && isAdmissionTask(body) && can(role, 'admission.manage')) return null;
  if (type === 'ServiceRequest') {
    // Told apart by category: a referral (SNOMED 3457005) needs referral.write, whatever else the role may do.
    const sr = body as { resourceType?: string; category?: { coding?: { system?: string; code?: string }[] }[] } | undefined;
    if (m !== 'DELETE' && sr?.resourceType === 'ServiceRequest' && isSupportCellRequest(sr.category)) {
      return can(role, 'support.request') ? null : forbidden(role, 'support.request', `${m} ServiceRequest (support cell)`);
    }
    // A request for an opinion (issue 13 item 2) is care: who writes care entries (GP, nurse).
    if (m !== 'DELETE' && sr?.resourceType === 'ServiceRequest' && isOpinionRequest(sr.category)) {
      return can(role, 'journal.write') ? null : forbidden(role, 'journal.write', `${m} ServiceRequest (opinion)`);
    }
    if (m !== 'DELETE' && sr?.resourceType === 'ServiceRequest' && isReferral(sr.category)) {
      return can(role, 'referral.write') ? null : forbidden(role, 'referral.write', `${m} ServiceRequest (referral)`);
    }
    return can(role, 'admission.manage') || can(role, 'referral.write') ? null : forbidden(role, 'admission.manage', `${m} ServiceRequest`);
  }
  const rule = WRITE_PERMISSION[type];
  if (!rule) return null;
  const needs = typeof rule === 'function' ? rule(m === 'DELETE' ? undefined : (body as Resource | undefined)) : [rule];
  const missing = needs.find((p) => !can(role, p));
  return missing ? forbidden(role, missing, `${m} ${type}`) : null;
}

/**
 * Treatments, the PPS's objectives (Goal) and problem situations (Condition) are medical whatever
 * their labels: a role without journal.read-medical never gets them (issue 15: a secretary sees the
 * administrative parts of the PPS only — see redactFor). Allergies and measurements (the clinical
 * header), dispensing, administration and the medication review (issue 14) are medical content too.
 */
const MEDICAL_TYPES = new Set(['MedicationRequest', 'MedicationStatement', 'Goal', 'Condition', 'MedicationDispense', 'MedicationAdministration', 'AllergyIntolerance', 'Observation', 'Composition']);

/**
 * What a role without journal.read-medical receives of a resource it may see (issue 15):
 * - a CarePlan (the PPS): its administrative parts — title, status, period, coordinator (author),
 *   care team, the review date — without the alert procedure (description), the problem
 *   situations (addresses), objectives (goal), the patient's wishes (note) nor the interventions;
 * - a Flag (an alert): its kind (code.coding, « Dégradation ») without the clinical text (code.text).
 * Anything else is returned as it is.
 */
export function redactFor(role: Role, resource: Resource): Resource {
  if (can(role, 'journal.read-medical')) return resource;
  if (resource.resourceType === 'CarePlan') {
    const { description: _d, addresses: _a, goal: _g, note: _n, activity, ...rest } = resource;
    const reviews = (activity ?? []).filter((a) => a.detail?.code?.coding?.some((c) => c.code === 'review'));
    return { ...rest, ...(reviews.length ? { activity: reviews.map((a) => ({ detail: { status: a.detail!.status, ...(a.detail!.code ? { code: a.detail!.code } : {}), ...(a.detail!.scheduledPeriod ? { scheduledPeriod: a.detail!.scheduledPeriod } : {}), ...(a.detail!.scheduledString ? { scheduledString: a.detail!.scheduledString } : {}) } })) } : {}) };
  }
  if (resource.resourceType === 'Flag') {
    const { text: _t, ...code } = resource.code;
    return { ...resource, code: { ...code, ...(code.coding?.length ? {} : { text: 'Alerte' }) } };
  }
  return resource;
}

/** Whether the role must not receive this (stored) resource: medical content for a role without journal.read-medical. */
export function isWithheldFrom(role: Role, resource: Resource): boolean {
  if (can(role, 'journal.read-medical')) return false;
  if (MEDICAL_TYPES.has(resource.resourceType)) return true;
  return resource.resourceType === 'DocumentReference' && isLabelledMedical(resource);
}

function isAdmissionTask(x: unknown): boolean {
  const task = x as { resourceType?: string; code?: { text?: string; coding?: { system?: string; code?: string }[] } } | undefined;
  if (task?.resourceType !== 'Task' || !task.code) return false;
  return task.code.coding?.some((c) => c.system === 'http://snomed.info/sct' && c.code === '305056002') ?? task.code.text === "Demande d'admission";
}

function isBundle(x: unknown): x is Bundle {
  return !!x && typeof x === 'object' && (x as Resource).resourceType === 'Bundle';
}
