/**
 * Outbox writer for kind `referral`. Each step is idempotent on an identifier derived from the
 * row's client id (main/features/referral/fhir-systems.ts referralIds), so a retry after a crash at
 * any step finds what was already created and goes on:
 *   1. the attached files (Binary, tag clientId/i);
 *   2. the journal entry « Adressage à … : motif » (kind referral, care, with the files);
 *   3. the clinical context, when given: a medical entry answering it (only roles that read medical
 *      entries see it, on the platform as in the store);
 *   4. the ServiceRequest (category referral) and its Task (owner = the recipient).
 */
import type { PostAttachment, ReferralCreateRequest, ReferralUrgency } from '../../../contract';
import type { OutboxWriter } from '../../outbox/outbox';
import { postRequestDocuments } from '../../outbox/request-documents';
import { REFERRAL, referralIds } from './fhir-systems';
import { announcementText, contextText } from './referral-text';

/** What a referral row carries (JSON in outbox.payload). */
export interface ReferralPayload {
  patientId: string;
  /** Resolved at enqueue: `PractitionerRole/x` or `Organization/y`, and how it reads. */
  recipient: { reference: string; display: string };
  reason: string;
  urgency: ReferralUrgency;
  clinicalContext?: string;
  expectedAction?: string;
  desiredDate?: string;
  attachments: PostAttachment[];
  /** ISO instant the referral was made (enqueue time). */
  authoredOn: string;
  /** The request as typed, without patient and files, for « Modifier » if refused (absent in rows from before it). */
  form?: Omit<ReferralCreateRequest, 'patientId' | 'replaces' | 'attachments'>;
}

export const referralWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as ReferralPayload;
  const ids = referralIds(clientId);
  const context = p.clinicalContext?.trim();
  const { announcement, supportingInfo } = await postRequestDocuments(platform, professional, {
    ids: { file: ids.file, announcement: ids.announcement, medical: ids.context },
    patientId: p.patientId,
    kind: 'referral',
    date: p.authoredOn,
    attachments: p.attachments,
    announcement: { text: announcementText({ ...p, recipient: p.recipient.display }), category: 'care', display: REFERRAL.announcementDisplay },
    ...(context ? { medical: { text: contextText(context), display: REFERRAL.contextDisplay } } : {}),
  });
  const { serviceRequestId } = await platform.createReferral({
    clientId,
    patientId: p.patientId,
    requesterId: professional.id,
    recipient: p.recipient,
    reason: p.reason,
    urgency: p.urgency,
    ...(p.expectedAction ? { expectedAction: p.expectedAction } : {}),
    ...(p.desiredDate ? { desiredDate: p.desiredDate } : {}),
    supportingInfo,
    authoredOn: p.authoredOn,
  });
  return { platformId: serviceRequestId, entry: announcement };
};
