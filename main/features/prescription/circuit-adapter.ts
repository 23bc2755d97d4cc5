/**
 * The medication circuit's part of the FHIR adapter: after an ordonnance reached the platform,
 * a Task for the care team's pharmacist and one for its home nurse (circuit-mapping.ts), each a
 * conditional create on `<client id>/task/<code>` so an outbox retry never duplicates them.
 * A patient without a pharmacist (or nurse) in the care team gets no Task for that role.
 */
import type { CareTeam, MedicationRequest, Observation, PractitionerRole, Task } from '@medplum/fhirtypes';
import { RelaisError, type PrescriptionLine } from '../../../contract';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { referenceId } from '../../platform/fhir/mapping';
import { ifNoneExist, toWriteError } from '../../platform/fhir/writes';
import {
  buildCircuitTask,
  circuitDescription,
  doseChanges,
  NURSE_PROFESSION,
  PHARMACIST_PROFESSION,
  professionOf,
  recentLabResult,
  type CircuitTaskCode,
} from './circuit-mapping';

export interface CircuitNotice {
  /** The outbox row's client id (the Tasks' identifiers derive from it). */
  clientId: string;
  patientId: string;
  prescriptionId: string;
  practitionerId: string;
  requesterDisplay: string;
  authoredOn: string;
  lines: readonly PrescriptionLine[];
  /** Ids of the MedicationRequests just written (excluded from « current treatments »). */
  medicationRequestIds: readonly string[];
  journalEntryId: string;
}

export interface MedicationCircuitPort {
  /** Writes the circuit's Tasks; answers what was created (code + Task id). */
  notifyMedicationCircuit(notice: CircuitNotice): Promise<{ code: CircuitTaskCode; taskId: string }[]>;
}

export type CircuitAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'selfRoleOf' | 'toRelaisError'>;

export function createMedicationCircuitAdapter({ http, searchAll, selfRoleOf, toRelaisError }: CircuitAdapterDeps): MedicationCircuitPort {
  return {
    async notifyMedicationCircuit(n) {
      const what = 'Medication circuit';
      const subject = `Patient/${n.patientId}`;
      const [teams, meds, labs] = await Promise.all([
        searchAll('CareTeam', { subject, status: 'active', _include: 'CareTeam:participant', _count: '20' }, what),
        searchAll('MedicationRequest', { subject, status: 'active', _count: '200' }, what),
        searchAll('Observation', { subject, category: 'laboratory', _sort: '-date', _count: '20' }, what),
      ]);
      const roles = new Map<string, PractitionerRole>();
      for (const e of teams) if (e.resource?.resourceType === 'PractitionerRole' && e.resource.id) roles.set(e.resource.id, e.resource);
      const members = teams
        .map((e) => e.resource)
        .filter((r): r is CareTeam => r?.resourceType === 'CareTeam')
        .flatMap((t) => t.participant ?? [])
        .map((p) => roles.get(referenceId(p.member?.reference, 'PractitionerRole') ?? ''))
        .filter((r): r is PractitionerRole => r !== undefined);
      const pharmacist = members.find((r) => professionOf(r) === PHARMACIST_PROFESSION);
      const nurse = members.find((r) => professionOf(r) === NURSE_PROFESSION);
      const mine = new Set(n.medicationRequestIds);
      const current = meds.map((e) => e.resource).filter((r): r is MedicationRequest => r?.resourceType === 'MedicationRequest' && !mine.has(r.id ?? ''));
      const changed = doseChanges(n.lines, current);
      const lab = changed.length > 0 ? recentLabResult(labs.map((e) => e.resource).filter((r): r is Observation => r?.resourceType === 'Observation'), n.authoredOn) : null;
      const selfRole = await selfRoleOf(n.practitionerId);
      const requester = { reference: selfRole ? `PractitionerRole/${selfRole}` : `Practitioner/${n.practitionerId}`, display: n.requesterDisplay };

      const wanted: { code: CircuitTaskCode; owner: PractitionerRole }[] = [];
      if (pharmacist) wanted.push({ code: 'dispense', owner: pharmacist });
      if (nurse) wanted.push({ code: lab ? 'dose-change' : 'care-plan-changed', owner: nurse });
      const out: { code: CircuitTaskCode; taskId: string }[] = [];
      for (const w of wanted) {
        const clientId = `${n.clientId}/task/${w.code}`;
        const task = buildCircuitTask({
          clientId,
          code: w.code,
          description: circuitDescription(w.code, n.lines, changed),
          patientId: n.patientId,
          ownerRole: w.owner,
          requester,
          authoredOn: n.authoredOn,
          journalEntryId: n.journalEntryId,
          medicationRequestIds: n.medicationRequestIds,
          ...(lab?.id ? { labResultId: lab.id } : {}),
        });
        try {
          const res = await http.post<Task>('Task', task, {
            headers: { 'Content-Type': 'application/fhir+json', 'If-None-Exist': ifNoneExist('identifier', clientId) },
          });
          if (res.data?.resourceType !== 'Task' || !res.data.id) throw new RelaisError('PLATFORM_ERROR', `${what}: unexpected answer`);
          out.push({ code: w.code, taskId: res.data.id });
        } catch (err) {
          if (err instanceof RelaisError) throw err;
          throw toWriteError(err, `${what}: create Task`, toRelaisError);
        }
      }
      return out;
    },
  };
}
