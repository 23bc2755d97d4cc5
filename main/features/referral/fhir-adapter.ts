/**
 * The referral part of the FHIR adapter (ReferralPort): ServiceRequest (category SNOMED 3457005
 * « Patient referral ») + Task (owner = the recipient), and the referential of professionals and
 * services a referral may go to. Created by createFhirPlatform, which lends its HTTP client.
 * Mapping: docs/fhir-mapping.md « Referrals ».
 */
import type { Organization, Practitioner, PractitionerRole, ServiceRequest, Task } from '@medplum/fhirtypes';
import type { Referral, ReferralRecipient, ReferralUrgency } from '../../../contract';
import { mapAuthor, personResolver, referenceId } from '../../platform/fhir/mapping';
import { REFERRAL, referralIds } from './fhir-systems';
import { PS, RELAIS } from '../../platform/fhir/systems';
import { CLIENT_ID_SYSTEM } from '../../platform/fhir/writes';
import { createServiceRequestWithTask, requestStatus, serviceRequestsWithTasks } from '../../platform/fhir/service-request-with-task';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';

// ── The port: what the core needs from the platform for this feature (main/platform/port.ts extends it).

/** A referral to create (ServiceRequest + Task); identifiers derive from clientId. */
export interface NewReferral {
  clientId: string;
  patientId: string;
  requesterId: string;
  /** PractitionerRole or Organization of the recipient (the Task's owner), with how it reads. */
  recipient: { reference: string; display: string };
  reason: string;
  urgency: ReferralUrgency;
  expectedAction?: string;
  desiredDate?: string;
  /** Files already on the platform and the journal entries that go with the referral. */
  supportingInfo: { reference: string; display: string }[];
  authoredOn: string;
}

/** Referral part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface ReferralPort {
  /** ServiceRequest then its Task, each with If-None-Exist on an identifier derived from clientId. */
  createReferral(referral: NewReferral): Promise<{ serviceRequestId: string; taskId: string }>;
  /** The patient's referrals with the status of their Task, newest first. */
  listReferrals(patientId: string): Promise<Omit<Referral, 'local'>[]>;
  /** Professionals (PractitionerRole) and services / establishments (Organization) of the referential. */
  listReferralRecipients(): Promise<ReferralRecipient[]>;
}

// ── Its FHIR implementation.

export type ReferralAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'searchAll' | 'loadMissingRoles' | 'roles' | 'practitioners' | 'selfRoleOf' | 'toRelaisError'>;

const CATEGORY = [{ coding: [{ ...REFERRAL.category }], text: 'Adressage' }];


export function createReferralAdapter(deps: ReferralAdapterDeps): ReferralPort {
  const { http, searchAll, loadMissingRoles, roles, practitioners } = deps;
  const person = personResolver(roles, practitioners);
  const selfRef = async (practitionerId: string) => {
    const roleId = await deps.selfRoleOf(practitionerId);
    return roleId ? { reference: `PractitionerRole/${roleId}` } : { reference: `Practitioner/${practitionerId}` };
  };

  return {
    async createReferral(n: NewReferral): Promise<{ serviceRequestId: string; taskId: string }> {
      const what = 'Create referral';
      const ids = referralIds(n.clientId);
      const requester = await selfRef(n.requesterId);
      const sr: ServiceRequest = {
        resourceType: 'ServiceRequest',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: ids.serviceRequest }],
        status: 'active',
        intent: 'order',
        category: CATEGORY,
        // What the recipient is asked to do; the reason goes in reasonCode. No clinical context here:
        // it lives in a medical journal entry that practice staff never receive.
        code: { text: n.expectedAction ?? 'Prise en charge' },
        priority: n.urgency,
        subject: { reference: `Patient/${n.patientId}` },
        authoredOn: n.authoredOn,
        requester,
        performer: [n.recipient],
        ...(n.desiredDate ? { occurrenceDateTime: n.desiredDate } : {}),
        reasonCode: [{ text: n.reason }],
        ...(n.supportingInfo.length > 0 ? { supportingInfo: n.supportingInfo } : {}),
      };
      // DOMAIN.md: the referral is followed through a Task whose owner is the recipient.
      const task: Omit<Task, 'basedOn' | 'focus'> = {
        resourceType: 'Task',
        identifier: [{ system: CLIENT_ID_SYSTEM, value: ids.task }],
        status: 'requested',
        intent: 'order',
        priority: n.urgency,
        code: { coding: [{ ...REFERRAL.category }], text: 'Adressage' },
        description: `Adressage à ${n.recipient.display} : ${n.reason}`,
        for: { reference: `Patient/${n.patientId}` },
        authoredOn: n.authoredOn,
        requester,
        owner: n.recipient,
      };
      return createServiceRequestWithTask({ http, toRelaisError: deps.toRelaisError, what, ids, serviceRequest: sr, task });
    },

    async listReferrals(patientId: string): Promise<Omit<Referral, 'local'>[]> {
      const what = `Referrals of ${patientId}`;
      const { requests: srs, latestTask: tasks } = await serviceRequestsWithTasks(searchAll, patientId, REFERRAL.category, what);
      await loadMissingRoles(srs.map((s) => referenceId(s.requester?.reference, 'PractitionerRole')).filter((x): x is string => !!x));
      return srs
        .map((sr) => ({
          id: sr.id!,
          patientId,
          recipient: sr.performer?.[0]?.display ?? 'Destinataire non précisé',
          reason: sr.reasonCode?.[0]?.text ?? '',
          urgency: sr.priority === 'urgent' || sr.priority === 'stat' || sr.priority === 'asap' ? ('urgent' as const) : ('routine' as const),
          expectedAction: sr.code?.text && sr.code.text !== 'Prise en charge' ? sr.code.text : null,
          desiredDate: sr.occurrenceDateTime?.slice(0, 10) ?? null,
          hasClinicalContext: sr.supportingInfo?.some((s) => s.display === REFERRAL.contextDisplay) ?? false,
          attachments: (sr.supportingInfo ?? []).filter((s) => s.reference?.startsWith('Binary/')).map((s) => ({ title: s.display ?? 'Document' })),
          status: requestStatus(sr, tasks.get(sr.id!)),
          requester: person(sr.requester),
          authoredOn: sr.authoredOn ?? null,
        }))
        .sort((a, b) => (b.authoredOn ?? '').localeCompare(a.authoredOn ?? ''));
    },

    async listReferralRecipients(): Promise<ReferralRecipient[]> {
      const what = 'Referral recipients';
      const [orgEntries, roleEntries] = await Promise.all([
        searchAll('Organization', { _count: '500' }, what),
        searchAll('PractitionerRole', { _include: 'PractitionerRole:practitioner', _count: '500' }, what),
      ]);
      for (const e of roleEntries) {
        const r = e.resource;
        if (r?.resourceType === 'PractitionerRole' && r.id) roles.set(r.id, r);
        else if (r?.resourceType === 'Practitioner' && r.id) practitioners.set(r.id, r);
      }
      const typeOf = (o: Organization) =>
        o.type?.flatMap((t) => t.coding ?? []).find((c) => c.system === REFERRAL.serviceType || c.system === RELAIS.establishmentType)?.display;
      const organizations = orgEntries
        .map((e) => e.resource)
        .filter((r): r is Organization => r?.resourceType === 'Organization' && !!r.id && r.active !== false && !!typeOf(r))
        .map((o) => ({ kind: 'organization' as const, id: o.id!, name: o.name ?? o.id!, detail: [typeOf(o), o.address?.[0]?.city].filter(Boolean).join(' — ') || null }));
      // Health professionals only: structure staff (a secretary) carry a staff function, no TRE-G15 profession.
      const isHealthProfessional = (p: Practitioner | undefined) =>
        !!p && (p.qualification ?? []).some((q) => q.code?.coding?.some((c) => c.system === PS.professionSystem));
      const people = roleEntries
        .map((e) => e.resource)
        .filter((r): r is PractitionerRole => r?.resourceType === 'PractitionerRole' && !!r.id && r.active !== false)
        .flatMap((r) => {
          const practId = referenceId(r.practitioner?.reference, 'Practitioner');
          const p = practId ? practitioners.get(practId) : undefined;
          if (!isHealthProfessional(p)) return [];
          const a = mapAuthor({ reference: `PractitionerRole/${r.id}` }, r, p);
          const detail = [a.roleLabel, r.organization?.display].filter(Boolean).join(' — ') || null;
          return [{ kind: 'practitioner' as const, id: r.id!, name: a.name, detail }];
        });
      const byName = (a: ReferralRecipient, b: ReferralRecipient) => a.name.localeCompare(b.name, 'fr');
      return [...organizations.sort(byName), ...people.sort(byName)];
    },
  };
}
