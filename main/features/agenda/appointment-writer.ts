/**
 * Outbox writer for kind `appointment`: books (conditional create on the client id) or changes
 * (If-Match on the version the professional saw) an Appointment. A 412 on a change means someone
 * else changed the appointment meanwhile: retrying cannot help, so the row fails permanently and
 * keeps what was typed (the agenda offers it again, main/features/agenda/agenda-overlay.ts).
 */
import { RelaisError, type AppointmentWith } from '../../../contract';
import { PermanentWriteFailure, type OutboxWriter } from '../../outbox/outbox';

/** What an appointment row carries (JSON in outbox.payload); `end` is computed at enqueue. */
export type AppointmentPayload =
  | { action: 'book'; patientId: string; start: string; end: string; durationMinutes: number; with: AppointmentWith; motive: string }
  | { action: 'reschedule'; patientId: string; appointmentId: string; version: string; start: string; end: string; durationMinutes: number }
  | { action: 'cancel'; patientId: string; appointmentId: string; version: string; reason: string };

export function endOf(start: string, minutes: number): string {
  return new Date(Date.parse(start) + minutes * 60_000).toISOString();
}

export const appointmentWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as AppointmentPayload;
  if (p.action === 'book') {
    const appointment = await platform.createAppointment({
      clientId,
      patientId: p.patientId,
      bookedBy: professional.id,
      start: p.start,
      end: p.end,
      minutes: p.durationMinutes,
      with: p.with.kind === 'care-team' ? { roleId: p.with.memberId } : { text: p.with.text },
      motive: p.motive,
    });
    return { platformId: appointment.id };
  }
  try {
    const appointment = await platform.updateAppointment({
      clientId,
      appointmentId: p.appointmentId,
      version: p.version,
      ...(p.action === 'reschedule' ? { move: { start: p.start, end: p.end, minutes: p.durationMinutes } } : { cancel: { reason: p.reason } }),
    });
    return { platformId: appointment.id };
  } catch (error) {
    if (error instanceof RelaisError && error.code === 'CONFLICT') {
      throw new PermanentWriteFailure(new RelaisError('CONFLICT', `appointment ${p.appointmentId} changed since version ${p.version}`, 'version'));
    }
    throw error;
  }
};
