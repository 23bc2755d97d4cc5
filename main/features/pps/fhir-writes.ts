/**
 * PPS editing, FHIR side (pure builders; the HTTP is in pps-adapter.ts): the edited PPS applied to
 * the CarePlan and its Goals as the platform holds them. Mapping in docs/fhir-mapping.md
 * « PPS editing »; it mirrors what mapPps reads (panels-mapping.ts), so a read after the write
 * shows exactly what was edited.
 */
import type { CarePlan, CarePlanActivity, Extension, Goal } from '@medplum/fhirtypes';
import { RelaisError, type PpsEdit, type PpsObjectiveEdit } from '../../../contract';
import { referenceId } from '../../platform/fhir/mapping';
import { RELAIS } from '../../platform/fhir/systems';
import { CLIENT_ID_SYSTEM } from '../../platform/fhir/writes';

/**
 * CarePlan extension holding the client id of the last update Relais made: a retry after a lost
 * answer finds its own update already there (the version moved on, but because of us) and does
 * not report a conflict.
 */
export const LAST_UPDATE_EXTENSION = 'https://relais.example/fhir/StructureDefinition/last-update-client-id';

const PRIORITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/goal-priority';
const ACHIEVEMENT_SYSTEM = 'http://terminology.hl7.org/CodeSystem/goal-achievement';

type Activity = CarePlanActivity;

const isReview = (a: Activity): boolean => a.detail?.code?.coding?.some((c) => c.system === RELAIS.ppsActivity && c.code === 'review') ?? false;
/** The activities mapPps shows as interventions, in the same order (Pps.interventions indexes). */
const isShownIntervention = (a: Activity): boolean =>
  !isReview(a) && !!a.detail && a.detail.status !== 'cancelled' && a.detail.status !== 'entered-in-error';
const isPendingReview = (a: Activity): boolean => isReview(a) && a.detail?.status !== 'completed' && a.detail?.status !== 'cancelled';

export function lastUpdateClientId(plan: CarePlan): string | null {
  return plan.extension?.find((e) => e.url === LAST_UPDATE_EXTENSION)?.valueString ?? null;
}

const roleRef = (id: string) => ({ reference: `PractitionerRole/${id}` });
const sameReference = (reference: string | undefined, id: string): boolean => referenceId(reference) === id;

/** Goal.target.measure of a free-text evaluation criterion (docs/fhir-mapping.md). */
export const CRITERION_MEASURE_TEXT = 'Critère d’évaluation';

/** The Goal fields an objective edit owns, applied on a copy of the Goal. */
function applyObjective(goal: Goal, o: PpsObjectiveEdit): Goal {
  const target = { ...(goal.target?.[0] ?? {}) };
  delete target.detailString;
  delete target.dueDate;
  if (o.criterion) target.detailString = o.criterion;
  if (o.dueDate) target.dueDate = o.dueDate;
  // FHIR R4 gol-1: a target's detail needs its measure. The criterion is free text, so the
  // measure says in words what the detail is; a coded measure from the platform is kept.
  if (target.detailString && !target.measure) target.measure = { text: CRITERION_MEASURE_TEXT };
  if (!target.detailString && target.measure?.text === CRITERION_MEASURE_TEXT && !target.measure.coding) delete target.measure;
  const wasAchieved = goal.achievementStatus?.coding?.some((c) => c.code === 'achieved') ?? false;
  const out: Goal = {
    ...goal,
    description: goal.description.text === o.description ? goal.description : { text: o.description },
    target: Object.keys(target).length > 0 ? [target, ...(goal.target?.slice(1) ?? [])] : (goal.target?.slice(1) ?? []),
  };
  if (o.priority) out.priority = { coding: [{ system: PRIORITY_SYSTEM, code: `${o.priority}-priority` }] };
  else delete out.priority;
  if (o.achieved) {
    out.achievementStatus = { coding: [{ system: ACHIEVEMENT_SYSTEM, code: 'achieved' }] };
    out.lifecycleStatus = 'completed';
  } else if (wasAchieved) {
    // Un-ticked: back in progress, active again.
    out.achievementStatus = { coding: [{ system: ACHIEVEMENT_SYSTEM, code: 'in-progress' }] };
    out.lifecycleStatus = 'active';
  }
  if (out.target?.length === 0) delete out.target;
  return out;
}

/** The Goals whose content the edit changes (unchanged ones are not rewritten: no needless versions). */
export function goalsToUpdate(goals: ReadonlyMap<string, Goal>, edit: PpsEdit): Goal[] {
  const out: Goal[] = [];
  for (const o of edit.objectives) {
    if (o.id === null) continue;
    const goal = goals.get(o.id);
    if (!goal) throw new RelaisError('INVALID_INPUT', `objective ${o.id} is not a goal of this PPS`, 'edit.objectives');
    const next = applyObjective(goal, o);
    if (JSON.stringify(next) !== JSON.stringify(goal)) out.push(next);
  }
  return out;
}

/** New objectives → Goals created idempotently: identifier `<client id>/goal/<n>` (If-None-Exist). */
export function newGoals(edit: PpsEdit, patientId: string, clientId: string): { clientId: string; goal: Goal }[] {
  return edit.objectives
    .filter((o) => o.id === null)
    .map((o, n) => {
      const id = `${clientId}/goal/${n}`;
      const base: Goal = {
        resourceType: 'Goal',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: id }],
        lifecycleStatus: 'active',
        achievementStatus: { coding: [{ system: ACHIEVEMENT_SYSTEM, code: 'in-progress' }] },
        description: { text: o.description },
        subject: { reference: `Patient/${patientId}` },
      };
      return { clientId: id, goal: applyObjective(base, o) };
    });
}

/**
 * The CarePlan with the edit applied: goal references (existing ones kept, new ones appended),
 * interventions (edited in place by their position, cancelled when removed, new ones appended),
 * the pending review activity's date, the patient's preferences (notes in their name), and the
 * client id of this update.
 */
export function applyPpsEdit(
  plan: CarePlan,
  edit: PpsEdit,
  options: {
    patientId: string;
    clientId: string;
    newGoalIds: readonly string[];
    today: string;
    now: string;
    /**
     * Whether the window's performer id names the performer already referenced. The window shows a
     * performer as a person (Practitioner id) and offers the care team by PractitionerRole id, so an
     * unchanged performer comes back as the Practitioner behind the referenced role.
     */
    samePerson?: (reference: string | undefined, id: string) => boolean;
  },
): CarePlan {
  const activities = plan.activity ?? [];
  const shown = activities.filter(isShownIntervention);
  for (const e of edit.interventions) {
    if (e.source !== null && e.source >= shown.length) {
      throw new RelaisError('INVALID_INPUT', `intervention ${e.source} is not in this PPS`, 'edit.interventions');
    }
  }
  const next: Activity[] = activities.map((a) => {
    if (!isShownIntervention(a)) return a;
    const position = shown.indexOf(a);
    const e = edit.interventions.find((x) => x.source === position);
    const detail = { ...a.detail! };
    if (!e) return { ...a, detail: { ...detail, status: 'cancelled' as const } };
    detail.description = e.description;
    if (detail.code?.text !== undefined) detail.code = { ...detail.code, text: e.description };
    const current = detail.performer?.[0];
    const keep = e.performerId !== null && current !== undefined && (options.samePerson ?? sameReference)(current.reference, e.performerId);
    if (keep) detail.performer = [current];
    else if (e.performerId) detail.performer = [roleRef(e.performerId)];
    else delete detail.performer;
    const period = { ...(detail.scheduledPeriod ?? {}) };
    delete period.end;
    if (e.scheduledEnd) period.end = e.scheduledEnd;
    if (Object.keys(period).length > 0) detail.scheduledPeriod = period;
    else delete detail.scheduledPeriod;
    return { ...a, detail };
  });
  for (const e of edit.interventions.filter((x) => x.source === null)) {
    next.push({
      detail: {
        kind: 'ServiceRequest',
        code: { coding: [{ system: RELAIS.ppsActivity, code: 'intervention' }], text: e.description },
        description: e.description,
        status: 'scheduled',
        scheduledPeriod: { start: options.today, ...(e.scheduledEnd ? { end: e.scheduledEnd } : {}) },
        ...(e.performerId ? { performer: [roleRef(e.performerId)] } : {}),
      },
    });
  }

  // Review date (HAS key point 9): the earliest pending « réévaluation » activity carries it.
  const pending = next
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => isPendingReview(a))
    .sort((x, y) => (x.a.detail?.scheduledPeriod?.start ?? '').localeCompare(y.a.detail?.scheduledPeriod?.start ?? ''));
  if (edit.nextReview) {
    if (pending[0]) {
      const { a, i } = pending[0];
      const detail = { ...a.detail!, scheduledPeriod: { ...(a.detail!.scheduledPeriod ?? {}), start: edit.nextReview } };
      delete detail.scheduledString;
      next[i] = { ...a, detail };
    } else {
      next.push({
        detail: {
          code: { coding: [{ system: RELAIS.ppsActivity, code: 'review', display: 'Réévaluation du PPS' }], text: 'Réévaluation du PPS' },
          status: 'scheduled',
          scheduledPeriod: { start: edit.nextReview },
          ...(plan.author ? { performer: [plan.author] } : {}),
        },
      });
    }
  } else {
    for (const { a, i } of pending) next[i] = { ...a, detail: { ...a.detail!, status: 'cancelled' } };
  }

  // Preferences: the patient's own notes are replaced; a note kept word for word keeps its date.
  const isPatientNote = (n: NonNullable<CarePlan['note']>[number]) => referenceId(n.authorReference?.reference, 'Patient') === options.patientId;
  const previous = (plan.note ?? []).filter(isPatientNote);
  const notes = [
    ...(plan.note ?? []).filter((n) => !isPatientNote(n)),
    ...edit.preferences.map(
      (text) => previous.find((n) => n.text === text) ?? { authorReference: { reference: `Patient/${options.patientId}` }, time: options.now, text },
    ),
  ];

  const goalRefs = [...(plan.goal ?? []), ...options.newGoalIds.map((id) => ({ reference: `Goal/${id}` }))];
  const extension: Extension[] = [
    ...(plan.extension ?? []).filter((e) => e.url !== LAST_UPDATE_EXTENSION),
    { url: LAST_UPDATE_EXTENSION, valueString: options.clientId },
  ];
  const out: CarePlan = { ...plan, extension, activity: next, goal: goalRefs, note: notes };
  if (goalRefs.length === 0) delete out.goal;
  if (notes.length === 0) delete out.note;
  return out;
}
