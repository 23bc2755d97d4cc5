/**
 * The support-cell part of the FHIR adapter (SupportRequestPort): finds the patient's territory's
 * cell (HealthcareService of category support-cell whose coverageArea names the patient's
 * département), creates the ServiceRequest + Task, and reads back the steps the cell reached
 * (Task.output). Mapping: docs/fhir-mapping.md « Support cell requests ».
 */
import type { HealthcareService, Patient as FhirPatient, ServiceRequest, Task } from '@medplum/fhirtypes';
import { SUPPORT_ASKS, SUPPORT_REASONS, SUPPORT_STEPS, type SupportAsk, type SupportReason, type SupportRequest, type SupportStepEvent } from '../../../contract';
import { personResolver, referenceId } from '../../platform/fhir/mapping';
import { CLIENT_ID_SYSTEM } from '../../platform/fhir/writes';
import { createServiceRequestWithTask, requestStatus, serviceRequestsWithTasks } from '../../platform/fhir/service-request-with-task';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';
import { SUPPORT, supportIds } from './fhir-systems';
import { ASK_LABEL, CONSENT_LABEL, REASON_LABEL, STEP_LABEL } from './support-text';

export interface SupportCell {
  /** HealthcareService id. */
  id: string;
  name: string;
  /** « Landes (40) ». */
  territory: string | null;
  /** The Organization providing it (owner of the Task), with its name. */
  organization: { reference: string; display: string } | null;
}

export interface NewSupportRequest {
  clientId: string;
  patientId: string;
  /** Practitioner id of who sends it (the secretary when on a GP's behalf). */
  senderId: string;
  /** PractitionerRole of the GP the secretary acts for. */
  onBehalfOf?: { reference: string; display: string };
  cell: { reference: string; display: string };
  owner: { reference: string; display: string };
  reason: SupportReason;
  asks: SupportAsk[];
  urgency: 'routine' | 'urgent';
  consentBy: keyof typeof CONSENT_LABEL;
  stay?: { from: string; to: string };
  supportingInfo: { reference: string; display: string }[];
  authoredOn: string;
}

export interface SupportRequestPort {
  /** The cell covering the patient's département, or null when the platform knows none. */
  findSupportCell(patientId: string): Promise<SupportCell | null>;
  createSupportRequest(n: NewSupportRequest): Promise<{ serviceRequestId: string; taskId: string }>;
  listSupportRequests(patientId: string): Promise<Omit<SupportRequest, 'local'>[]>;
}

export type SupportAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'loadMissingRoles' | 'roles' | 'practitioners' | 'selfRoleOf' | 'toRelaisError'>;

/** INSEE département of a postal code: 2 digits, 3 overseas (97x); Corsica's 20 covers 2A and 2B. */
export function departementOf(postalCode: string | undefined): string | null {
  if (!postalCode || !/^\d{5}$/.test(postalCode)) return null;
  return postalCode.startsWith('97') ? postalCode.slice(0, 3) : postalCode.slice(0, 2);
}

const CATEGORY = [{ coding: [{ ...SUPPORT.category }], text: "Demande d'appui" }];
const isCode = <T extends string>(all: readonly T[], v: string | undefined): v is T => !!v && (all as readonly string[]).includes(v);

export function createSupportRequestAdapter(deps: SupportAdapterDeps): SupportRequestPort {
  const { http, searchAll, loadMissingRoles, roles, practitioners } = deps;
  const person = personResolver(roles, practitioners);
  const selfRef = async (practitionerId: string) => {
    const roleId = await deps.selfRoleOf(practitionerId);
    return roleId ? { reference: `PractitionerRole/${roleId}` } : { reference: `Practitioner/${practitionerId}` };
  };

  return {
    async findSupportCell(patientId: string): Promise<SupportCell | null> {
      const what = `Support cell of ${patientId}`;
      let patient: FhirPatient;
      try {
        patient = (await http.get<FhirPatient>(`Patient/${encodeURIComponent(patientId)}`)).data;
      } catch (err) {
        throw deps.toRelaisError(err, what);
      }
      const home = patient.address?.find((a) => a.use === 'home') ?? patient.address?.[0];
      const dep = departementOf(home?.postalCode);
      if (!dep) return null;
      const services = (await searchAll('HealthcareService', { 'service-category': `${SUPPORT.serviceCategory.system}|${SUPPORT.serviceCategory.code}`, _count: '100' }, what))
        .map((e) => e.resource)
        .filter((r): r is HealthcareService => r?.resourceType === 'HealthcareService' && !!r.id && r.active !== false);
      const covering = (s: HealthcareService) =>
        (s.coverageArea ?? []).some((c) => c.identifier?.system === SUPPORT.departementSystem && (c.identifier.value === dep || (dep === '20' && /^2[AB]$/.test(c.identifier.value ?? ''))));
      const cell = services.find(covering);
      if (!cell) return null;
      const area = cell.coverageArea?.find((c) => c.identifier?.system === SUPPORT.departementSystem);
      return {
        id: cell.id!,
        name: cell.name ?? cell.providedBy?.display ?? 'Cellule d’appui',
        territory: area?.display ?? null,
        organization: cell.providedBy?.reference ? { reference: cell.providedBy.reference, display: cell.providedBy.display ?? cell.name ?? '' } : null,
      };
    },

    async createSupportRequest(n: NewSupportRequest) {
      const ids = supportIds(n.clientId);
      const sender = await selfRef(n.senderId);
      const requester = n.onBehalfOf ?? sender;
      const sr: ServiceRequest = {
        resourceType: 'ServiceRequest',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: ids.serviceRequest }],
        status: 'active',
        intent: 'order',
        category: CATEGORY,
        code: { coding: [{ ...SUPPORT.category }], text: "Appui à la coordination" },
        // What is asked: one orderDetail each (evaluation, PPS, temporary stay…).
        orderDetail: n.asks.map((a) => ({ coding: [{ system: SUPPORT.askSystem, code: a, display: ASK_LABEL[a] }], text: ASK_LABEL[a] })),
        priority: n.urgency,
        subject: { reference: `Patient/${n.patientId}` },
        authoredOn: n.authoredOn,
        requester,
        performer: [n.cell],
        reasonCode: [{ coding: [{ system: SUPPORT.reasonSystem, code: n.reason, display: REASON_LABEL[n.reason] }], text: REASON_LABEL[n.reason] }],
        ...(n.stay ? { occurrencePeriod: { start: n.stay.from, end: n.stay.to } } : {}),
        ...(n.supportingInfo.length > 0 ? { supportingInfo: n.supportingInfo } : {}),
        note: [
          { text: `Consentement recueilli auprès ${CONSENT_LABEL[n.consentBy]}.` },
          // The secretary sends on a GP's behalf: who actually sent it stays on the request.
          ...(n.onBehalfOf ? [{ authorReference: sender, text: `Envoyée par le secrétariat pour le compte de ${n.onBehalfOf.display}.` }] : []),
        ],
      };
      const task: Omit<Task, 'basedOn' | 'focus'> = {
        resourceType: 'Task',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: ids.task }],
        status: 'requested',
        intent: 'order',
        priority: n.urgency,
        code: { coding: [{ ...SUPPORT.category }], text: "Demande d'appui" },
        description: `Demande d'appui : ${REASON_LABEL[n.reason]}`,
        for: { reference: `Patient/${n.patientId}` },
        authoredOn: n.authoredOn,
        requester,
        owner: n.owner,
      };
      return createServiceRequestWithTask({ http, toRelaisError: deps.toRelaisError, what: 'Create support request', ids, serviceRequest: sr, task });
    },

    async listSupportRequests(patientId: string) {
      const what = `Support requests of ${patientId}`;
      const { requests, latestTask } = await serviceRequestsWithTasks(searchAll, patientId, SUPPORT.category, what);
      await loadMissingRoles(requests.map((s) => referenceId(s.requester?.reference, 'PractitionerRole')).filter((x): x is string => !!x));
      return requests
        .map((sr) => {
          const task = latestTask.get(sr.id!);
          const steps: SupportStepEvent[] = (task?.output ?? [])
            .map((o) => ({ code: o.type?.coding?.find((c) => c.system === SUPPORT.stepSystem)?.code, at: o.valueDateTime, text: o.type?.text }))
            .filter((o): o is { code: (typeof SUPPORT_STEPS)[number]; at: string; text: string | undefined } => isCode(SUPPORT_STEPS, o.code) && !!o.at)
            .map((o) => ({ step: o.code, at: o.at, detail: o.text && o.text !== STEP_LABEL[o.code] ? o.text : null }))
            .sort((a, b) => SUPPORT_STEPS.indexOf(a.step) - SUPPORT_STEPS.indexOf(b.step));
          const reason = sr.reasonCode?.[0]?.coding?.find((c) => c.system === SUPPORT.reasonSystem)?.code;
          const asks = (sr.orderDetail ?? []).map((d) => d.coding?.find((c) => c.system === SUPPORT.askSystem)?.code).filter((c): c is SupportAsk => isCode(SUPPORT_ASKS, c));
          const ownerIsPerson = task?.owner?.reference?.startsWith('PractitionerRole/');
          const behalf = sr.note?.some((x) => x.authorReference);
          return {
            id: sr.id!,
            patientId,
            cell: sr.performer?.[0]?.display ?? 'Cellule d’appui',
            reason: isCode(SUPPORT_REASONS, reason) ? reason : ('other' as const),
            asks,
            urgency: sr.priority === 'urgent' || sr.priority === 'asap' || sr.priority === 'stat' ? ('urgent' as const) : ('routine' as const),
            stay: sr.occurrencePeriod?.start && sr.occurrencePeriod.end ? { from: sr.occurrencePeriod.start.slice(0, 10), to: sr.occurrencePeriod.end.slice(0, 10) } : null,
            requester: person(sr.requester),
            onBehalfOf: behalf ? (sr.requester?.display ?? person(sr.requester)?.name ?? null) : null,
            authoredOn: sr.authoredOn ?? null,
            steps,
            coordinator: ownerIsPerson ? (task?.owner?.display ?? null) : null,
            status: requestStatus(sr, task),
          };
        })
        .sort((a, b) => (b.authoredOn ?? '').localeCompare(a.authoredOn ?? ''));
    },
  };
}
