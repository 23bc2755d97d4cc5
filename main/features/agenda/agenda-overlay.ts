/**
 * Lays what the outbox still holds over the platform's answer: a booking not yet sent is shown
 * (pending) at its place in the agenda, a move or cancellation is marked on its appointment, a
 * refused one (failed: changed meanwhile) keeps what was typed so the window can offer it again.
 * The same for admission requests not yet on the platform.
 */
import type { Admission, Appointment, AppointmentChange, CareTeamMember, OutboxItem } from '../../../contract';
import type { AdmissionPayload } from './admission-writer';
import { establishmentName } from './admission-writer';
import type { AppointmentPayload } from './appointment-writer';
import type { AdmissionUpdatePayload } from './admission-update-writer';

export interface OutboxView {
  list(patientId: string): OutboxItem[];
  payloadOf(clientId: string): unknown;
}

const LOCAL_PREFIX = 'local-';

function changeOf(item: OutboxItem, p: AppointmentPayload): AppointmentChange {
  return {
    clientId: item.id,
    action: p.action,
    state: item.status === 'failed-permanent' ? 'failed' : 'pending',
    error: item.lastError,
    requested:
      p.action === 'book'
        ? { start: p.start, durationMinutes: p.durationMinutes, motive: p.motive, with: p.with }
        : p.action === 'reschedule'
          ? { start: p.start, durationMinutes: p.durationMinutes }
          : { reason: p.reason },
  };
}

/**
 * The agenda with this window's changes. A failed change the professional gave up is no longer in
 * the outbox (appointment.dismissChange discards it); one is also hidden once a later change of
 * the same appointment exists.
 */
export function overlayAppointments(
  appointments: readonly Appointment[],
  careTeam: readonly CareTeamMember[],
  outbox: OutboxView,
  patientId: string,
): Appointment[] {
  const rows = outbox
    .list(patientId)
    .filter((i) => i.kind === 'appointment' && i.status !== 'sent')
    .map((item) => ({ item, payload: outbox.payloadOf(item.id) as AppointmentPayload | null }))
    .filter((r): r is { item: OutboxItem; payload: AppointmentPayload } => r.payload !== null);
  const out = appointments.map((a) => ({ ...a }));
  const byId = new Map(out.map((a) => [a.id, a]));
  // Oldest first: a later change of the same appointment replaces the earlier one's mark.
  for (const { item, payload } of rows) {
    const change = changeOf(item, payload);
    if (payload.action === 'book') {
      const member = payload.with.kind === 'care-team' ? careTeam.find((m) => m.id === (payload.with as { memberId: string }).memberId) : undefined;
      out.push({
        id: `${LOCAL_PREFIX}${item.id}`,
        start: payload.start,
        end: payload.end,
        description: payload.motive,
        professional: member ? { id: member.id, name: member.name, roleLabel: member.roleLabel } : null,
        location: payload.with.kind === 'place' ? payload.with.text : (member?.organization ?? null),
        status: 'booked',
        change,
      });
      continue;
    }
    const target = byId.get(payload.appointmentId);
    if (target) target.change = change;
  }
  return out.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** Cancellations and reminders still in the outbox, by ServiceRequest id (the list marks them). */
export function pendingAdmissionChanges(outbox: OutboxView, patientId: string): Map<string, 'cancel' | 'remind'> {
  const out = new Map<string, 'cancel' | 'remind'>();
  for (const item of outbox.list(patientId)) {
    if (item.kind !== 'admission-update' || item.status === 'sent' || item.status === 'failed-permanent') continue;
    const p = outbox.payloadOf(item.id) as AdmissionUpdatePayload | null;
    if (p && out.get(p.serviceRequestId) !== 'cancel') out.set(p.serviceRequestId, p.action);
  }
  return out;
}

/** Admission requests still in the outbox (newest first), as the list shows them. */
export function pendingAdmissions(outbox: OutboxView, patientId: string, requester: Admission['requester']): Admission[] {
  return outbox
    .list(patientId)
    .filter((i) => i.kind === 'admission-request' && i.status !== 'sent')
    .map((item) => ({ item, p: outbox.payloadOf(item.id) as AdmissionPayload | null }))
    .filter((r): r is { item: OutboxItem; p: AdmissionPayload } => r.p !== null)
    .map(({ item, p }) => ({
      id: item.id,
      patientId,
      establishment: establishmentName(p.establishment),
      service: p.service ?? null,
      priority: p.priority,
      desiredDate: p.desiredDate,
      motive: p.motive,
      homeReturnSupport: p.homeReturnSupport,
      hasClinicalSummary: !!p.clinicalSummary?.trim(),
      attachments: p.attachments.map((a) => ({ title: a.title })),
      status: 'requested' as const,
      statusDetail: null,
      statusAt: null,
      history: [],
      pendingChange: null,
      requester,
      authoredOn: p.authoredOn,
      local: { state: item.status === 'failed-permanent' ? ('failed' as const) : ('pending' as const), error: item.lastError },
    }))
    .reverse();
}
