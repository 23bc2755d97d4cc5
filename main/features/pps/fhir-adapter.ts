/**
 * The PPS editing part of the FHIR adapter (PpsPort): read the CarePlan and its Goals, check the
 * version the professional edited, write the Goals, then PUT the CarePlan with If-Match.
 * Created by createFhirPlatform with its HTTP client. See docs/fhir-mapping.md « PPS editing ».
 */
import type { Bundle, CarePlan, Goal, PractitionerRole } from '@medplum/fhirtypes';
import { RelaisError, type PpsEdit } from '../../../contract';
import { referenceId } from '../../platform/fhir/mapping';
import { applyPpsEdit, goalsToUpdate, lastUpdateClientId, newGoals } from './fhir-writes';
import { ifNoneExist, toWriteError } from '../../platform/fhir/writes';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';

// ── The port: what the core needs from the platform for this feature (main/platform/port.ts extends it).

/** One PPS update as the outbox sends it (kind pps-update). */
export interface PpsUpdate {
  /** The outbox row's client id: the idempotency key of the update and of the Goals it creates. */
  clientId: string;
  patientId: string;
  /** CarePlan id. */
  ppsId: string;
  /** CarePlan version the professional edited (If-Match). */
  baseVersion: string;
  edit: PpsEdit;
}

/** PPS editing part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface PpsPort {
  /**
   * Applies the edit to the CarePlan and its Goals (Goal creates with If-None-Exist on the client
   * id, updates and the CarePlan PUT with If-Match). CONFLICT when the CarePlan (or an edited
   * Goal) is no longer at the version the professional edited — unless it moved on because of
   * this very update (a retry after a lost answer), which answers the current version.
   */
  updatePps(update: PpsUpdate): Promise<{ version: string }>;
}

// ── Its FHIR implementation.

export type PpsAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'toRelaisError'>;

const FHIR_JSON = { 'Content-Type': 'application/fhir+json' };
const ifMatch = (version: string | undefined) => (version ? { 'If-Match': `W/"${version}"` } : {});

export function createPpsAdapter({ http, toRelaisError }: PpsAdapterDeps): PpsPort {
  const get = async <T>(path: string, what: string): Promise<T> => {
    try {
      return (await http.get<T>(path)).data;
    } catch (err) {
      throw toWriteError(err, what, toRelaisError);
    }
  };

  /** PractitionerRole id → its Practitioner id, for the roles performing the plan's activities (one search). */
  const practitionersBehind = async (plan: CarePlan, what: string): Promise<Map<string, string>> => {
    const roleIds = [
      ...new Set((plan.activity ?? []).map((a) => referenceId(a.detail?.performer?.[0]?.reference, 'PractitionerRole')).filter((id): id is string => !!id)),
    ];
    const out = new Map<string, string>();
    if (roleIds.length === 0) return out;
    let bundle: Bundle;
    try {
      bundle = (await http.get<Bundle>('PractitionerRole', { params: { _id: roleIds.join(','), _count: String(roleIds.length) } })).data;
    } catch (err) {
      throw toWriteError(err, what, toRelaisError);
    }
    for (const e of bundle.entry ?? []) {
      const role = e.resource as PractitionerRole | undefined;
      const practId = referenceId(role?.practitioner?.reference, 'Practitioner');
      if (role?.id && practId) out.set(role.id, practId);
    }
    return out;
  };

  return {
    async updatePps(u: PpsUpdate): Promise<{ version: string }> {
      const what = `Update PPS ${u.ppsId}`;
      const plan = await get<CarePlan>(`CarePlan/${encodeURIComponent(u.ppsId)}`, what);
      if (referenceId(plan.subject?.reference, 'Patient') !== u.patientId) {
        throw new RelaisError('INVALID_INPUT', `${what}: not this patient's care plan`, 'ppsId');
      }
      const current = plan.meta?.versionId ?? '';
      if (current !== u.baseVersion) {
        // Our own update already applied (its answer was lost): done, not a conflict.
        if (lastUpdateClientId(plan) === u.clientId) return { version: current };
        // Checked before any Goal is touched, so a stale edit changes nothing on the platform.
        throw new RelaisError('CONFLICT', `${what}: version ${current} on the platform, edit based on ${u.baseVersion}`);
      }

      const goals = new Map<string, Goal>();
      for (const ref of plan.goal ?? []) {
        const id = referenceId(ref.reference, 'Goal');
        if (id && u.edit.objectives.some((o) => o.id === id)) goals.set(id, await get<Goal>(`Goal/${encodeURIComponent(id)}`, what));
      }
      for (const goal of goalsToUpdate(goals, u.edit)) {
        try {
          await http.put(`Goal/${encodeURIComponent(goal.id!)}`, goal, { headers: { ...FHIR_JSON, ...ifMatch(goal.meta?.versionId) } });
        } catch (err) {
          throw toWriteError(err, `${what}: goal ${goal.id}`, toRelaisError);
        }
      }
      const created: string[] = [];
      for (const { clientId, goal } of newGoals(u.edit, u.patientId, u.clientId)) {
        try {
          const res = await http.post<Goal>('Goal', goal, { headers: { ...FHIR_JSON, 'If-None-Exist': ifNoneExist('identifier', clientId) } });
          if (!res.data?.id) throw new RelaisError('PLATFORM_ERROR', `${what}: goal created without id`);
          created.push(res.data.id);
        } catch (err) {
          throw toWriteError(err, `${what}: new goal`, toRelaisError);
        }
      }

      const practitionerOfRole = await practitionersBehind(plan, what);
      const now = new Date();
      const body = applyPpsEdit(plan, u.edit, {
        patientId: u.patientId,
        clientId: u.clientId,
        newGoalIds: created,
        today: now.toISOString().slice(0, 10),
        now: now.toISOString(),
        samePerson: (reference, id) =>
          referenceId(reference) === id || practitionerOfRole.get(referenceId(reference, 'PractitionerRole') ?? '') === id,
      });
      try {
        const res = await http.put<CarePlan>(`CarePlan/${encodeURIComponent(u.ppsId)}`, body, {
          headers: { ...FHIR_JSON, ...ifMatch(u.baseVersion) },
        });
        return { version: res.data?.meta?.versionId ?? '' };
      } catch (err) {
        // 412: someone changed the plan between our read and our write → CONFLICT.
        throw toWriteError(err, what, toRelaisError);
      }
    },
  };
}
