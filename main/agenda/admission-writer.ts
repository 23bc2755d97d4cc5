/**
 * Outbox writer for kind `admission-request`. Each step is idempotent on an identifier derived from
 * the row's client id (main/platform/fhir/agenda-systems.ts admissionIds), so a retry after a crash
 * at any step finds what was already created and goes on:
 *   1. the attached files (Binary, tag clientId/i);
 *   2. the journal entry « Demande d'admission envoyée : … » (administrative, with the files);
 *   3. the clinical summary, when given: a medical entry answering it (only roles that read
 *      medical entries see it, on the platform as in the store);
 *   4. the ServiceRequest (category admission, priority routine | urgent) and its Task.
 */
import type { AdmissionPriority, PostAttachment } from '../../contract';
import type { OutboxWriter } from '../outbox/outbox';
import { AGENDA, admissionIds } from '../platform/fhir/agenda-systems';
import { announcementText } from './admission-text';

/** What an admission-request row carries (JSON in outbox.payload). */
export interface AdmissionPayload {
  patientId: string;
  establishment: { organizationId: string; name: string } | { text: string };
  service?: string;
  priority: AdmissionPriority;
  desiredDate: string;
  motive: string;
  clinicalSummary?: string;
  homeReturnSupport: boolean;
  attachments: PostAttachment[];
  /** ISO instant the request was made (enqueue time). */
  authoredOn: string;
}

export const establishmentName = (e: AdmissionPayload['establishment']): string => ('name' in e ? e.name : e.text);

export const admissionWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as AdmissionPayload;
  const ids = admissionIds(clientId);
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
    kind: 'hospitalisation',
    text: announcementText({ ...p, establishment: establishmentName(p.establishment) }),
    date: p.authoredOn,
    attachments: files,
    // A secretary may post it; nothing clinical is in it (the summary goes apart, below).
    category: 'administrative',
    confidentiality: 'normal',
  });
  const supportingInfo = [
    { reference: `DocumentReference/${announcement.id}`, display: AGENDA.announcementDisplay },
    ...files.map((f) => ({ reference: f.url, display: f.title })),
  ];
  const summary = p.clinicalSummary?.trim();
  if (summary) {
    const entry = await platform.createJournalEntry({
      clientId: ids.summary,
      patientId: p.patientId,
      authorId: professional.id,
      kind: 'hospitalisation',
      text: `Résumé clinique pour la demande d'admission :\n${summary}`,
      date: p.authoredOn,
      attachments: [],
      replyTo: announcement.id,
      category: 'care',
      confidentiality: 'medical',
    });
    supportingInfo.push({ reference: `DocumentReference/${entry.id}`, display: AGENDA.summaryDisplay });
  }
  const { serviceRequestId } = await platform.createAdmissionRequest({
    clientId,
    patientId: p.patientId,
    requesterId: professional.id,
    establishment: p.establishment,
    ...(p.service ? { service: p.service } : {}),
    priority: p.priority,
    desiredDate: p.desiredDate,
    motive: p.motive,
    homeReturnSupport: p.homeReturnSupport,
    supportingInfo,
    authoredOn: p.authoredOn,
  });
  return { platformId: serviceRequestId, entry: announcement };
};
