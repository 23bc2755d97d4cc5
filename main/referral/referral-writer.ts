/**
 * Outbox writer for kind `referral`. Each step is idempotent on an identifier derived from the
 * row's client id (main/platform/fhir/referral-systems.ts referralIds), so a retry after a crash at
 * any step finds what was already created and goes on:
 *   1. the attached files (Binary, tag clientId/i);
 *   2. the journal entry « Adressage à … : motif » (kind referral, care, with the files);
 *   3. the clinical context, when given: a medical entry answering it (only roles that read medical
 *      entries see it, on the platform as in the store);
 *   4. the ServiceRequest (category referral) and its Task (owner = the recipient).
 */
import type { PostAttachment, ReferralUrgency } from '../../contract';
import type { OutboxWriter } from '../outbox/outbox';
import { REFERRAL, referralIds } from '../platform/fhir/referral-systems';
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
}

export const referralWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as ReferralPayload;
  const ids = referralIds(clientId);
  const files: { contentType: string; title: string; url: string; size: number }[] = [];
  for (const [i, a] of p.attachments.entries()) {
    const data = Buffer.from(a.dataBase64, 'base64');
    const bin = await platform.createBinary({ clientId: ids.file(i), contentType: a.contentType, data });
    files.push({ contentType: a.contentType, title: a.title, url: bin.url, size: data.length });
  }
  const announcement = await platform.createJournalEntry({
    clientId: ids.announcement,
    patientId: p.patientId,
    authorId: professional.id,
    kind: 'referral',
    text: announcementText({ ...p, recipient: p.recipient.display }),
    date: p.authoredOn,
    attachments: files,
    category: 'care',
    confidentiality: 'normal',
  });
  const supportingInfo = [
    { reference: `DocumentReference/${announcement.id}`, display: REFERRAL.announcementDisplay },
    ...files.map((f) => ({ reference: f.url, display: f.title })),
  ];
  const context = p.clinicalContext?.trim();
  if (context) {
    const entry = await platform.createJournalEntry({
      clientId: ids.context,
      patientId: p.patientId,
      authorId: professional.id,
      kind: 'referral',
      text: contextText(context),
      date: p.authoredOn,
      attachments: [],
      replyTo: announcement.id,
      category: 'care',
      confidentiality: 'medical',
    });
    supportingInfo.push({ reference: `DocumentReference/${entry.id}`, display: REFERRAL.contextDisplay });
  }
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
