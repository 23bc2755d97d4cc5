/**
 * FHIR R4 → the panels of the contract (contract/features/panels.ts): MedicationRequest → Treatment,
 * CarePlan (+ Goal, Condition) → Pps, Appointment, Task → CareTask, CareTeam + PractitionerRole
 * → CareTeamMember, Flag → Alert. Pure functions; documented in docs/fhir-mapping.md (« Panels »).
 */
import type {
  CarePlan,
  CareTeam,
  Condition,
  Flag,
  Goal,
  MedicationRequest,
  Practitioner,
  PractitionerRole,
  Task,
} from '@medplum/fhirtypes';
import {
  AlertKindSchema,
  TaskStatusSchema,
  type Alert,
  type CareTask,
  type CareTeamMember,
  type Pps,
  type PpsObjective,
  type Treatment,
} from '../../../contract';
import { mapAuthor, practitionerDisplayName, referenceId, type PersonResolver } from '../../platform/fhir/mapping';
import { PANELS } from './fhir-systems';

const day = (s: string | undefined): string | null => (s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null);

/** MedicationRequest → Treatment; null for statuses a GP does not need (draft, entered-in-error…). */
export function mapTreatment(mr: MedicationRequest, person: PersonResolver): Treatment | null {
  if (!mr.id) return null;
  const status = mr.status === 'active' || mr.status === 'on-hold' ? 'active' : mr.status === 'stopped' || mr.status === 'completed' ? 'stopped' : null;
  if (!status) return null;
  const medication =
    mr.medicationCodeableConcept?.text ??
    mr.medicationCodeableConcept?.coding?.[0]?.display ??
    mr.medicationReference?.display ??
    'Médicament non précisé';
  const dosage = mr.dosageInstruction?.[0];
  const bounds = dosage?.timing?.repeat?.boundsPeriod;
  const reason = status === 'stopped' ? mr.statusReason?.text : mr.reasonCode?.[0]?.text ?? mr.reasonReference?.[0]?.display;
  return {
    id: mr.id,
    medication,
    posology: dosage?.text ?? dosage?.patientInstruction ?? '',
    prescriber: person(mr.requester),
    startDate: day(bounds?.start) ?? day(mr.authoredOn),
    endDate: status === 'stopped' ? (day(bounds?.end) ?? day(mr.meta?.lastUpdated)) : null,
    status,
    ...(reason ? { reason } : {}),
    version: mr.meta?.versionId ?? '',
  };
}

/** Active first (by start date, newest first), then stopped (most recently stopped first). */
export function sortTreatments(list: Treatment[]): Treatment[] {
  return [...list].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'active' ? -1 : 1;
    const ka = (a.status === 'active' ? a.startDate : a.endDate) ?? '';
    const kb = (b.status === 'active' ? b.startDate : b.endDate) ?? '';
    return kb.localeCompare(ka) || a.medication.localeCompare(b.medication, 'fr');
  });
}

const PRIORITY: Record<string, PpsObjective['priority']> = {
  'high-priority': 'high',
  'medium-priority': 'medium',
  'low-priority': 'low',
};
const PRIORITY_RANK = { high: 0, medium: 1, low: 2 } as const;

export function mapGoal(goal: Goal): PpsObjective {
  const code = goal.priority?.coding?.[0]?.code;
  const target = goal.target?.[0];
  return {
    id: goal.id ?? '',
    description: goal.description.text ?? goal.description.coding?.[0]?.display ?? '',
    priority: (code && PRIORITY[code]) || null,
    ...(target?.detailString ? { criterion: target.detailString } : {}),
    dueDate: day(target?.dueDate),
    achievement: goal.achievementStatus?.coding?.[0]?.code ?? null,
  };
}

const isReview = (a: NonNullable<CarePlan['activity']>[number]): boolean =>
  a.detail?.code?.coding?.some((c) => c.system === PANELS.ppsActivity && c.code === 'review') ?? false;

/**
 * CarePlan (+ the Goals and Conditions it references, when included) → Pps.
 * Review date: the scheduled activity coded `pps-activity#review` (its scheduledPeriod.start,
 * or scheduledString); fallback CarePlan.period.end. See docs/fhir-mapping.md.
 */
export function mapPps(
  plan: CarePlan,
  goals: ReadonlyMap<string, Goal>,
  conditions: ReadonlyMap<string, Condition>,
  person: PersonResolver,
  patientId: string,
): Pps | null {
  if (!plan.id) return null;
  const problems = (plan.addresses ?? [])
    .map((ref) => {
      const c = conditions.get(referenceId(ref.reference, 'Condition') ?? '');
      return c?.code?.text ?? c?.code?.coding?.[0]?.display ?? ref.display ?? '';
    })
    .filter(Boolean);
  const objectives = (plan.goal ?? [])
    .map((ref) => {
      const g = goals.get(referenceId(ref.reference, 'Goal') ?? '');
      if (g) return mapGoal(g);
      return ref.display ? { id: referenceId(ref.reference) ?? '', description: ref.display, priority: null, dueDate: null, achievement: null } : null;
    })
    .filter((o): o is PpsObjective => o !== null)
    .sort((a, b) => (a.priority ? PRIORITY_RANK[a.priority] : 3) - (b.priority ? PRIORITY_RANK[b.priority] : 3));
  const activities = plan.activity ?? [];
  const interventions = activities
    .filter((a) => !isReview(a) && a.detail && a.detail.status !== 'cancelled' && a.detail.status !== 'entered-in-error')
    .map((a) => ({
      description: a.detail!.description ?? a.detail!.code?.text ?? a.reference?.display ?? '',
      performer: person(a.detail!.performer?.[0]),
      scheduledEnd: day(a.detail!.scheduledPeriod?.end),
      status: a.detail!.status,
    }));
  const reviews = activities
    .filter((a) => isReview(a) && a.detail?.status !== 'completed' && a.detail?.status !== 'cancelled')
    .map((a) => day(a.detail?.scheduledPeriod?.start) ?? day(a.detail?.scheduledString))
    .filter((d): d is string => d !== null)
    .sort();
  // Preferences: notes written in the patient's name (authorReference → the subject).
  const preferences = (plan.note ?? [])
    .filter((n) => referenceId(n.authorReference?.reference, 'Patient') === patientId)
    .map((n) => n.text);
  return {
    id: plan.id,
    title: plan.title ?? 'Plan personnalisé de santé',
    coordinator: person(plan.author),
    problems,
    preferences,
    objectives,
    interventions,
    nextReview: reviews[0] ?? day(plan.period?.end),
    ...(plan.description ? { alertProcedure: plan.description } : {}),
    updatedAt: plan.meta?.lastUpdated ?? null,
    version: plan.meta?.versionId ?? '',
  };
}

/** The PPS among the patient's care plans: active, category pps first, most recently updated. */
export function pickPps(plans: readonly CarePlan[]): CarePlan | undefined {
  const active = plans.filter((p) => p.status === 'active' || p.status === 'on-hold');
  const isPps = (p: CarePlan) => p.category?.some((c) => c.coding?.some((x) => x.system === PANELS.ppsCategory && x.code === 'pps')) ?? false;
  return [...active].sort((a, b) => Number(isPps(b)) - Number(isPps(a)) || (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''))[0];
}

/** Task → CareTask; null for statuses outside the four the panel knows. */
export function mapTask(t: Task, person: PersonResolver, myRoleIds: ReadonlySet<string>, myPractitionerId: string): CareTask | null {
  const status = TaskStatusSchema.safeParse(t.status);
  const patientId = referenceId(t.for?.reference, 'Patient');
  if (!t.id || !status.success || !patientId) return null;
  const ownerRole = referenceId(t.owner?.reference, 'PractitionerRole');
  const ownerPract = referenceId(t.owner?.reference, 'Practitioner');
  return {
    id: t.id,
    patientId,
    status: status.data,
    description: t.description ?? t.code?.text ?? 'Tâche',
    dueDate: day(t.restriction?.period?.end),
    owner: person(t.owner),
    requester: person(t.requester),
    authoredOn: t.authoredOn ?? null,
    mine: (ownerRole !== undefined && myRoleIds.has(ownerRole)) || ownerPract === myPractitionerId,
    version: t.meta?.versionId ?? '',
    // A task created from a message points at it (flow feature, circuit tasks): « Voir le message ».
    entryId: referenceId(t.focus?.reference, 'DocumentReference') ?? null,
  };
}

/** Mine first; open before completed; by due date (none last). */
export function sortTasks(tasks: CareTask[]): CareTask[] {
  return [...tasks].sort(
    (a, b) =>
      Number(b.mine) - Number(a.mine) ||
      Number(a.status === 'completed') - Number(b.status === 'completed') ||
      (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') ||
      a.id.localeCompare(b.id),
  );
}

/** CareTeam participants → members, with the contacts of their PractitionerRole. */
export function mapCareTeam(
  team: CareTeam,
  roles: ReadonlyMap<string, PractitionerRole>,
  practitioners: ReadonlyMap<string, Practitioner>,
  coordinatorRoleId: string | undefined,
): CareTeamMember[] {
  const out: CareTeamMember[] = [];
  for (const p of team.participant ?? []) {
    if (p.period?.end && Date.parse(p.period.end) < Date.now()) continue;
    const roleId = referenceId(p.member?.reference, 'PractitionerRole');
    if (!roleId) continue;
    const role = roles.get(roleId);
    const practId = referenceId(role?.practitioner?.reference, 'Practitioner');
    const practitioner = practId ? practitioners.get(practId) : undefined;
    const name = practitionerDisplayName(practitioner) ?? role?.practitioner?.display ?? p.member?.display ?? '';
    const roleLabel = mapAuthor(p.member, role, practitioner).roleLabel || p.role?.[0]?.text || p.role?.[0]?.coding?.[0]?.display || '';
    const telecom = [...(role?.telecom ?? []), ...(practitioner?.telecom ?? [])];
    const phone = telecom.find((c) => c.system === 'phone' && c.value)?.value;
    const email = telecom.find((c) => c.system === 'email' && c.value)?.value;
    out.push({
      id: roleId,
      name,
      roleLabel,
      ...(role?.organization?.display ? { organization: role.organization.display } : {}),
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      coordinator: roleId === coordinatorRoleId,
    });
  }
  return out;
}

const SEVERITY: Record<string, Alert['severity']> = { PH: 'high', PM: 'medium', PL: 'low' };
export const SEVERITY_CODE: Record<NonNullable<Alert['severity']>, { code: string; display: string }> = {
  high: { code: 'PH', display: 'High priority' },
  medium: { code: 'PM', display: 'Medium priority' },
  low: { code: 'PL', display: 'Low priority' },
};

/** The flag-priority extension (R4 standard): PH / PM / PL; PN and anything else read as not said. */
export function alertSeverity(f: Flag): Alert['severity'] {
  const ext = f.extension?.find((e) => e.url === PANELS.flagPriority);
  const code = ext?.valueCodeableConcept?.coding?.find((c) => c.system === PANELS.flagPriorityCode)?.code;
  return (code && SEVERITY[code]) || null;
}

/** The alert-handled extension: who took the alert into account, and when (null: nobody yet). */
export function alertHandling(f: Flag, person: PersonResolver): Alert['handled'] {
  const ext = f.extension?.find((e) => e.url === PANELS.alertHandled);
  if (!ext) return null;
  const at = ext.extension?.find((e) => e.url === 'at')?.valueDateTime;
  if (!at) return null;
  return { by: person(ext.extension?.find((e) => e.url === 'by')?.valueReference), at };
}

/** The Flag with the alert-handled extension added (the rest of the resource untouched). */
export function withHandling(f: Flag, by: { reference: string; display: string }, at: string): Flag {
  return {
    ...f,
    extension: [
      ...(f.extension ?? []).filter((e) => e.url !== PANELS.alertHandled),
      { url: PANELS.alertHandled, extension: [{ url: 'by', valueReference: by }, { url: 'at', valueDateTime: at }] },
    ],
  };
}

/** Flag → Alert; null when it has no patient subject. */
export function mapAlert(f: Flag, person: PersonResolver): Alert | null {
  const patientId = referenceId(f.subject?.reference, 'Patient');
  if (!f.id || !patientId) return null;
  const code = f.code.coding?.find((c) => c.system === PANELS.alertKind)?.code;
  const kind = AlertKindSchema.safeParse(code);
  return {
    id: f.id,
    patientId,
    kind: kind.success ? kind.data : 'other',
    text: f.code.text ?? f.code.coding?.[0]?.display ?? 'Alerte',
    start: f.period?.start ?? f.meta?.lastUpdated ?? '',
    author: person(f.author),
    version: f.meta?.versionId ?? '',
    severity: alertSeverity(f),
    handled: alertHandling(f, person),
  };
}
