/**
 * The panels part of the FHIR adapter (PanelsPort): five searches in parallel for a patient's
 * panels, the Task update with If-Match, and the Flag poll of the alert watcher.
 * Created by createFhirPlatform, which lends its HTTP client and its professional caches.
 */
import type {
  Appointment as FhirAppointment,
  BundleEntry,
  CarePlan,
  CareTeam,
  Condition,
  Flag,
  Goal,
  MedicationRequest,
  MedicationDispense,
  MedicationAdministration,
  Composition,
  PractitionerRole,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import { mapMedicationReview, MEDICATION_REVIEW_TYPE, withCircuit } from './medication-circuit';
import { RelaisError, TASK_TRANSITIONS, type Alert, type CareTask, type TaskStatus, type PatientPanels } from '../../../contract';
import { mapAppointment, personResolver, referenceId } from '../../platform/fhir/mapping';
import {
  alertHandling,
  withHandling,
  mapAlert,
  mapCareTeam,
  mapPps,
  mapTask,
  mapTreatment,
  pickPps,
  sortTasks,
  sortTreatments,
} from './fhir-mapping';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';

// ── The port: what the core needs from the platform for this feature (main/platform/port.ts extends it).

/** The panels of a patient as the platform gives them (the core adds source / fetchedAt). */
export type PlatformPanels = Omit<PatientPanels, 'source' | 'fetchedAt'>;

export interface PanelsFetchOptions {
  /** Practitioner id of the signed-in professional (tasks: `mine`). */
  professionalId: string;
  /** ISO instant: appointments starting from then on (the agenda shows what is to come). */
  from: string;
}

export interface AlertsBatch {
  alerts: Alert[];
  /**
   * Greatest `meta.lastUpdated` among the answers, in the platform's clock: the `since` of the
   * next poll (null when nothing matched and no `since` was given).
   */
  watermark: string | null;
  /** Flags of these patients changed since `since` and no longer active (closed, resolved). */
  inactiveIds: string[];
}

/** Panels and alerts part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface PanelsPort {
  getPatientPanels(patientId: string, options: PanelsFetchOptions): Promise<PlatformPanels>;
  /**
   * Moves a task owned by the professional to `status` (FHIR Task update with
   * `If-Match: W/"<version>"`; the version given, else the current one). CONFLICT on 409/412,
   * FORBIDDEN when the task is not theirs, INVALID_INPUT for a move backwards.
   */
  updateTaskStatus(taskId: string, status: TaskStatus, options: { professionalId: string; version?: string }): Promise<CareTask>;
  /**
   * « Prendre en compte »: adds the alert-handled extension to the Flag (If-Match on its current
   * version; the Flag stays active — the situation is not over, someone is on it). Idempotent: a
   * Flag already handled is left as it is and answered.
   */
  handleAlert(flagId: string, handling: { by: { reference: string; display: string }; at: string }): Promise<Alert>;
  /** Active alerts (Flag) of these patients, changed at or after `since` when given. */
  fetchActiveAlerts(patientIds: readonly string[], options?: { since?: string }): Promise<AlertsBatch>;
}

// ── Its FHIR implementation.

export type PanelsAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'loadMissingRoles' | 'roles' | 'practitioners' | 'toRelaisError'>;

const resourcesOf = <T extends Resource>(entries: readonly BundleEntry[], type: T['resourceType']): T[] =>
  entries.map((e) => e.resource).filter((r): r is T => r?.resourceType === type);

/** PractitionerRole ids referenced anywhere in these resources (requester, performer, owner…). */
function roleRefs(resources: readonly Resource[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const ref = (v as { reference?: unknown }).reference;
      if (typeof ref === 'string') {
        const id = referenceId(ref, 'PractitionerRole');
        if (id) out.add(id);
      }
      for (const x of Object.values(v)) if (x && typeof x === 'object') walk(x);
    }
  };
  walk(resources);
  return [...out];
}

/**
 * Flags changed since `since` → the active alerts, the closed ones and the new watermark. Shared
 * by the alert poll and the steady-state change question (main/platform/fhir/changes.ts).
 */
export function flagAlertsMapper(deps: Pick<PanelsAdapterDeps, 'loadMissingRoles' | 'roles' | 'practitioners'>) {
  const person = personResolver(deps.roles, deps.practitioners);
  return async (flags: readonly Flag[], since: string | null): Promise<AlertsBatch> => {
    const alerts: Alert[] = [];
    let watermark: string | null = since;
    const inactiveIds: string[] = [];
    await deps.loadMissingRoles(roleRefs(flags));
    for (const f of flags) {
      const updated = f.meta?.lastUpdated;
      if (updated && (!watermark || updated > watermark)) watermark = updated;
      if (f.status !== 'active') {
        if (f.id) inactiveIds.push(f.id);
        continue;
      }
      const a = mapAlert(f, person);
      if (a) alerts.push(a);
    }
    alerts.sort((a, b) => b.start.localeCompare(a.start) || a.id.localeCompare(b.id));
    return { alerts, watermark, inactiveIds };
  };
}

export function createPanelsAdapter(deps: PanelsAdapterDeps): PanelsPort {
  const alertsOfFlags = flagAlertsMapper(deps);
  const { http, searchAll, loadMissingRoles, roles, practitioners } = deps;
  const person = personResolver(roles, practitioners);
  /** Roles of the signed-in professional, by Practitioner id (stable for a session). */
  const myRoles = new Map<string, Set<string>>();

  const remember = (entries: readonly BundleEntry[]): void => {
    for (const e of entries) {
      const r = e.resource;
      if (r?.resourceType === 'PractitionerRole' && r.id) roles.set(r.id, r);
      else if (r?.resourceType === 'Practitioner' && r.id) practitioners.set(r.id, r);
    }
  };

  const rolesOf = async (practitionerId: string): Promise<Set<string>> => {
    const known = myRoles.get(practitionerId);
    if (known) return known;
    const entries = await searchAll(
      'PractitionerRole',
      { practitioner: `Practitioner/${practitionerId}`, _count: '50' },
      'Roles of the signed-in professional',
    );
    remember(entries);
    const ids = new Set(resourcesOf<PractitionerRole>(entries, 'PractitionerRole').map((r) => r.id!));
    myRoles.set(practitionerId, ids);
    return ids;
  };

  return {
    async getPatientPanels(patientId: string, options: PanelsFetchOptions): Promise<PlatformPanels> {
      const subject = `Patient/${patientId}`;
      const what = `Panels of ${patientId}`;
      // The medication circuit (dispensing, administrations, the pharmacy's review), in parallel with the rest.
      const circuit = Promise.all([
        searchAll('MedicationDispense', { subject, _count: '200' }, what),
        searchAll('MedicationAdministration', { subject, _count: '200' }, what),
        searchAll('Composition', { subject, type: `${MEDICATION_REVIEW_TYPE.system}|${MEDICATION_REVIEW_TYPE.code}`, _count: '10' }, what),
      ]);
      circuit.catch(() => undefined); // awaited below; a failure there is reported once, not as unhandled
      const [meds, plans, appts, tasks, teams, mine] = await Promise.all([
        searchAll('MedicationRequest', { subject, _count: '200' }, what),
        searchAll('CarePlan', { subject, _include: ['CarePlan:goal', 'CarePlan:condition'], _count: '20' }, what),
        searchAll('Appointment', { patient: subject, date: `ge${options.from}`, _sort: 'date', _count: '100' }, what),
        searchAll('Task', { subject, _count: '200' }, what),
        searchAll(
          'CareTeam',
          { subject, _include: 'CareTeam:participant', '_include:iterate': 'PractitionerRole:practitioner', _count: '10' },
          what,
        ),
        rolesOf(options.professionalId),
      ]);
      const [dispenses, administrations, reviews] = await circuit;
      remember(teams);
      const all = [...meds, ...plans, ...appts, ...tasks].map((e) => e.resource).filter((r): r is Resource => !!r);
      await loadMissingRoles(roleRefs(all));

      const carePlan = pickPps(resourcesOf<CarePlan>(plans, 'CarePlan'));
      const goals = new Map(resourcesOf<Goal>(plans, 'Goal').map((g) => [g.id!, g]));
      const conditions = new Map(resourcesOf<Condition>(plans, 'Condition').map((c) => [c.id!, c]));
      let pps;
      try {
        pps = carePlan ? mapPps(carePlan, goals, conditions, person, patientId) : null;
      } catch (err) {
        throw deps.toRelaisError(err, what);
      }
      const team = resourcesOf<CareTeam>(teams, 'CareTeam').find((t) => t.status !== 'inactive' && t.status !== 'entered-in-error');
      const coordinatorRoleId = referenceId(carePlan?.author?.reference, 'PractitionerRole');
      return {
        patientId,
        treatments: withCircuit(
          sortTreatments(
            resourcesOf<MedicationRequest>(meds, 'MedicationRequest')
              .map((m) => mapTreatment(m, person))
              .filter((t) => t !== null),
          ),
          resourcesOf<MedicationDispense>(dispenses, 'MedicationDispense'),
          resourcesOf<MedicationAdministration>(administrations, 'MedicationAdministration'),
        ),
        medicationReview: mapMedicationReview(resourcesOf<Composition>(reviews, 'Composition')),
        pps,
        appointments: resourcesOf<FhirAppointment>(appts, 'Appointment')
          .filter((a) => a.status !== 'cancelled' && a.status !== 'entered-in-error' && a.status !== 'noshow')
          .map((a) => mapAppointment(a, person))
          .filter((a) => a !== null)
          .sort((a, b) => a.start.localeCompare(b.start)),
        tasks: sortTasks(
          resourcesOf<Task>(tasks, 'Task')
            .map((t) => mapTask(t, person, mine, options.professionalId))
            .filter((t) => t !== null),
        ),
        careTeam: team ? mapCareTeam(team, roles, practitioners, coordinatorRoleId) : [],
      };
    },

    async updateTaskStatus(taskId, status: TaskStatus, options): Promise<CareTask> {
      const what = `Update task ${taskId}`;
      let current: Task;
      try {
        current = (await http.get<Task>(`Task/${encodeURIComponent(taskId)}`)).data;
      } catch (err) {
        throw deps.toRelaisError(err, what);
      }
      const mine = await rolesOf(options.professionalId);
      const ownerRole = referenceId(current.owner?.reference, 'PractitionerRole');
      const ownerPract = referenceId(current.owner?.reference, 'Practitioner');
      if (!(ownerRole && mine.has(ownerRole)) && ownerPract !== options.professionalId) {
        throw new RelaisError('FORBIDDEN', `${what}: not one of the professional's tasks`, 'taskId');
      }
      const version = options.version ?? current.meta?.versionId;
      // A stale version goes to the platform as is: its 412 is the CONFLICT the window shows.
      const stale = options.version !== undefined && options.version !== current.meta?.versionId;
      const from = current.status as TaskStatus;
      if (!stale && !(TASK_TRANSITIONS[from] ?? []).includes(status)) {
        throw new RelaisError('INVALID_INPUT', `${what}: cannot go from ${current.status} to ${status}`, 'status');
      }
      const body: Task = { ...current, status, lastModified: new Date().toISOString() };
      let updated: Task;
      try {
        const res = await http.put<Task>(`Task/${encodeURIComponent(taskId)}`, body, {
          headers: { 'Content-Type': 'application/fhir+json', ...(version ? { 'If-Match': `W/"${version}"` } : {}) },
        });
        updated = res.data;
      } catch (err) {
        throw deps.toRelaisError(err, what);
      }
      await loadMissingRoles(roleRefs([updated]));
      const mapped = mapTask(updated, person, mine, options.professionalId);
      if (!mapped) throw new RelaisError('PLATFORM_ERROR', `${what}: the platform answered an unusable Task`);
      return mapped;
    },

    async handleAlert(flagId, handling): Promise<Alert> {
      const what = `Handle alert ${flagId}`;
      const url = `Flag/${encodeURIComponent(flagId)}`;
      try {
        let current = (await http.get<Flag>(url)).data;
        if (!alertHandling(current, person)) {
          const body = withHandling(current, handling.by, handling.at);
          current = (
            await http.put<Flag>(url, body, {
              headers: { 'Content-Type': 'application/fhir+json', ...(current.meta?.versionId ? { 'If-Match': `W/"${current.meta.versionId}"` } : {}) },
            })
          ).data;
        }
        await loadMissingRoles(roleRefs([current]));
        const mapped = mapAlert(current, person);
        if (!mapped) throw new RelaisError('PLATFORM_ERROR', `${what}: the platform answered an unusable Flag`);
        return mapped;
      } catch (err) {
        throw err instanceof RelaisError ? err : deps.toRelaisError(err, what);
      }
    },

    async fetchActiveAlerts(patientIds, options = {}): Promise<AlertsBatch> {
      const flags: Flag[] = [];
      // Chunks keep the URL short on a large list of followed patients.
      for (let i = 0; i < patientIds.length; i += 40) {
        const chunk = patientIds.slice(i, i + 40);
        const params: Record<string, string | string[]> = {
          subject: chunk.map((id) => `Patient/${id}`).join(','),
          _count: '200',
        };
        if (options.since) params._lastUpdated = `ge${options.since}`;
        // R4 defines no `status` search parameter on Flag: filter here.
        flags.push(...resourcesOf<Flag>(await searchAll('Flag', params, 'Poll alerts'), 'Flag'));
      }
      return alertsOfFlags(flags, options.since ?? null);
    },
  };
}
