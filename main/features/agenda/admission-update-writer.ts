/**
 * Outbox writer for kind `admission-update` (issue 15): « Annuler » or « Relancer » an admission
 * request already on the platform, with the reason the professional typed. Two idempotent steps:
 *   1. the Task note (and, to cancel, Task cancelled + ServiceRequest revoked): admission-changes.ts;
 *   2. the journal entry « Demande d'admission annulée : … » / « Relance … » (administrative, kind
 *      admission-request), conditional create on `<clientId>/note`.
 */
import type { OutboxWriter } from '../../outbox/outbox';
import { requesterOf } from '../feature';
import { changeNoteText } from './admission-changes';

export interface AdmissionUpdatePayload {
  action: 'cancel' | 'remind';
  patientId: string;
  serviceRequestId: string;
  /** « Centre hospitalier de Mont-de-Marsan — Cardiologie », for the journal entry. */
  where: string;
  reason: string;
  /** ISO instant of the request (enqueue time). */
  at: string;
}

export function admissionUpdateText(p: Pick<AdmissionUpdatePayload, 'action' | 'where' | 'reason'>): string {
  return `${changeNoteText(p.action, p.reason)}\nÉtablissement : ${p.where}`;
}

export const admissionUpdateWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as AdmissionUpdatePayload;
  await platform.changeAdmission({
    clientId,
    serviceRequestId: p.serviceRequestId,
    action: p.action,
    reason: p.reason,
    at: p.at,
    authorId: professional.id,
    authorName: requesterOf(professional).name,
  });
  const entry = await platform.createJournalEntry({
    clientId: `${clientId}/note`,
    patientId: p.patientId,
    authorId: professional.id,
    kind: 'admission-request',
    text: admissionUpdateText(p),
    date: p.at,
    attachments: [],
    // A secretary may cancel or chase a request; nothing clinical is in it.
    category: 'administrative',
  });
  return { platformId: p.serviceRequestId, entry };
};
