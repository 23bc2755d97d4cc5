/**
 * The access policy on every route of the sandbox platform (issue 11, item 10), for requests that
 * carry a signed-in holder (card or Pro Santé Connect). access-policy.ts says what a role may
 * write and read; this module makes sure no route goes around it:
 *
 * - Routes the policy cannot judge are refused (403): batch / transaction bundles (each entry
 *   would need the same checks: send them one by one), `$graphql` and every other `$operation`
 *   (`$everything`, `$validate`…), `_history` / vread (old versions of hidden resources), system
 *   search (`GET /fhir?_type=`), `POST …/_search` (parameters hidden in a body), a Binary search
 *   other than by `_tag` (would list attachments not yet attached to an entry), PATCH and
 *   conditional PUT / DELETE (the target and the result are not known before the router runs).
 * - Search parameters that change what the filter decides on, or turn a search into an oracle,
 *   are refused (400): `_summary`, `_elements` (a projection without `securityLabel` would pass
 *   a medical entry as normal), `_has` and chained parameters (ask questions about hidden
 *   resources), `_filter`, `_contained`, `_query`, `_list`, `_type`, `_text`, `_content`.
 * - Reads: every resource of an answer (the resource read, each search match and each
 *   `_include` / `_revinclude`) is checked against the stored content: care-team scope
 *   (care-scope.ts) for Patient and patient-compartment resources, medical withholding by role;
 *   a Binary only when an entry the holder may see attaches it. A withheld read is a 404.
 * - Writes: the patient written about must be in the holder's scope, and a PUT / DELETE is also
 *   judged on the stored version (a medical entry cannot be overwritten by a secretary, a
 *   referral cannot be deleted as if it were an admission). Directory types (Practitioner,
 *   PractitionerRole, Organization…) are read-only: changing a role's practitioner would move
 *   someone into other care teams.
 */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { can, type Role } from '../../contract/roles';
import { checkWrite, isWithheldFrom, redactFor } from './access-policy';
import { PUBLIC_TYPES, patientOf, type CareScopeIndex } from './care-scope';

export interface Access {
  role: Role;
  /** Patients of the holder's care teams (care-scope.ts). */
  patients: ReadonlySet<string>;
  readsMedical: boolean;
  index: CareScopeIndex;
}

export function accessOf(holder: { role: Role; practitionerId: string }, index: CareScopeIndex): Access {
  return { role: holder.role, patients: index.patientsOf(holder.practitionerId), readsMedical: can(holder.role, 'journal.read-medical'), index };
}

export interface Refusal {
  status: number;
  outcome: OperationOutcome;
}

function refusal(status: number, code: OperationOutcome['issue'][number]['code'], diagnostics: string): Refusal {
  return { status, outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text: diagnostics }, diagnostics }] } };
}

const REFUSED_PARAMS = new Set(['_summary', '_elements', '_has', '_filter', '_contained', '_containedtype', '_query', '_list', '_type', '_text', '_content']);

/** Types a holder may write: what Relais writes, plus the PPS and care-team resources. */
const WRITABLE = new Set(['DocumentReference', 'Binary', 'MedicationRequest', 'MedicationStatement', 'CarePlan', 'Goal', 'Condition', 'Task', 'Appointment', 'Flag', 'ServiceRequest', 'CareTeam', 'Communication']);

/** Route and parameter check, before the body is read. `path` is relative to /fhir. */
export function checkRoute(method: string, path: string, query: URLSearchParams): Refusal | null {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) {
    return refusal(403, 'forbidden', method === 'POST' ? 'Forbidden: batch / transaction bundles are not available to a signed-in professional; send each request on its own' : 'Forbidden: system-level search is not available');
  }
  if (segments.some((s) => s.startsWith('$'))) return refusal(403, 'forbidden', 'Forbidden: FHIR operations are not available to a signed-in professional');
  if (segments.includes('_history')) return refusal(403, 'forbidden', 'Forbidden: version history is not available to a signed-in professional');
  if (segments[1] === '_search') return refusal(403, 'forbidden', 'Forbidden: search by POST is not available; use GET');
  // Attachments are read by id, from an entry that names them, or found by the upload's own client
  // tag (idempotent retries); a broader search would list uploads no entry names yet.
  if (segments[0] === 'Binary' && segments.length === 1 && method === 'GET' && !(query.has('_tag') && [...query.keys()].every((k) => k === '_tag' || k === '_count'))) {
    return refusal(403, 'forbidden', 'Forbidden: Binary search is only by _tag; read an attachment by id');
  }
  if (method === 'PATCH') return refusal(403, 'forbidden', 'Forbidden: PATCH is not available to a signed-in professional; send the whole resource with PUT');
  if ((method === 'PUT' || method === 'DELETE') && segments.length !== 2) return refusal(403, 'forbidden', `Forbidden: conditional ${method} is not available`);
  for (const key of query.keys()) {
    const name = key.split(':')[0]!.toLowerCase();
    if (REFUSED_PARAMS.has(name) || key.includes('.')) return refusal(400, 'not-supported', `Search parameter not available to a signed-in professional: ${key}`);
  }
  return null;
}

/** Whether the holder may see this stored resource. */
export function isVisible(access: Access, resource: Resource): boolean {
  if (isWithheldFrom(access.role, resource)) return false;
  if (resource.resourceType === 'Binary') {
    // An attachment no entry names yet (uploaded just before its entry): its bytes say nothing of a patient.
    return resource.id ? (access.index.binaryVisible(resource.id, access.patients, access.readsMedical) ?? true) : false;
  }
  const patient = patientOf(resource);
  if (patient === undefined) return true;
  return patient !== null && access.patients.has(patient);
}

/**
 * What the holder receives of an answer: undefined when the whole resource is withheld (→ 404).
 * A search page loses the matches and includes the holder may not see, and its `total` unless
 * it cannot count anything withheld (a public type, or one patient of the scope for a role that
 * reads everything of that patient): a `_count=0` search must not count hidden entries.
 */
export function filterAnswer<T extends Resource>(access: Access, resource: T, searched: { type: string; query: URLSearchParams } | null): T | undefined {
  if (resource.resourceType !== 'Bundle') return isVisible(access, resource) ? (redactFor(access.role, resource) as T) : undefined;
  const bundle = resource as Bundle;
  const entry = bundle.entry
    ?.filter((e: BundleEntry) => !e.resource || isVisible(access, e.resource))
    .map((e: BundleEntry) => (e.resource ? { ...e, resource: redactFor(access.role, e.resource) } : e));
  const exactTotal = !!searched && bundle.total !== undefined && (PUBLIC_TYPES.has(searched.type) || (access.readsMedical && namesOnlyScopedPatients(access, searched.query)));
  const { total, entry: _all, ...rest } = bundle;
  return { ...rest, ...(exactTotal ? { total } : {}), ...(entry?.length ? { entry } : {}) } as T;
}

/** Every patient-naming parameter is a plain reference to a patient of the scope. */
function namesOnlyScopedPatients(access: Access, query: URLSearchParams): boolean {
  let named = false;
  for (const [key, value] of query) {
    if (!['subject', 'patient', 'for'].includes(key)) continue;
    for (const v of value.split(',')) {
      const id = v.startsWith('Patient/') ? v.slice('Patient/'.length) : v;
      if (!access.patients.has(id)) return false;
      named = true;
    }
  }
  return named;
}

/**
 * The write check: role permissions (access-policy.ts) on the new content and on the stored
 * version, care-team scope on both. `stored` is the current version for a PUT / DELETE by id
 * (undefined: none). null: allowed.
 */
export function checkScopedWrite(access: Access, method: string, path: string, body: unknown, stored: Resource | undefined): Refusal | null {
  const type = path.split('?')[0]!.split('/')[0]!;
  if (stored && !isVisible(access, stored)) return refusal(404, 'not-found', `Not found: ${path}`);
  if (!WRITABLE.has(type)) return refusal(403, 'forbidden', `Forbidden: ${type} is not writable by a signed-in professional`);
  if (type === 'Binary') {
    // Attachments are immutable once posted: replacing or deleting one would change a signed entry's content.
    return method === 'POST' ? null : refusal(403, 'forbidden', `Forbidden: ${method} Binary`);
  }
  if (stored) {
    // Judged as it is now too: a hidden or out-of-scope resource is not confirmed (404, above), and
    // what the role may not write it may not overwrite or delete either.
    const roleRefusal = checkWrite(access.role, 'PUT', path, stored);
    if (roleRefusal) return roleRefusal;
  }
  const byRole = checkWrite(access.role, method, path, body);
  if (byRole) return byRole;
  if (method === 'DELETE') return null;
  const resource = body as Resource | undefined;
  if (!resource || resource.resourceType !== type) return null; // the router answers 400
  if (type === 'CareTeam') {
    // A care team decides who sees a patient: only who may edit the PPS, and never to enter a team one is not in.
    if (!can(access.role, 'pps.edit')) return refusal(403, 'forbidden', `Forbidden: role ${access.role} lacks pps.edit (${method} CareTeam)`);
    const subject = patientOf(resource);
    if (subject && !access.patients.has(subject) && access.index.hasActiveTeam(subject)) return refusal(403, 'forbidden', 'Forbidden: this patient is not in your care teams');
    return subject ? null : refusal(403, 'forbidden', 'Forbidden: a care team names its patient');
  }
  const patient = patientOf(resource);
  if (patient === null || patient === undefined || !access.patients.has(patient)) return refusal(403, 'forbidden', 'Forbidden: this patient is not in your care teams');
  return null;
}
