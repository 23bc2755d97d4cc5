/**
 * Outbox writer for kind `admission-request`. Each step is idempotent on an identifier derived from
 * the row's client id (main/features/agenda/fhir-systems.ts admissionIds), so a retry after a crash
 * at any step finds what was already created and goes on:
 *   1. the attached files (Binary, tag clientId/i);
 *   2. the journal entry « Demande d'admission envoyée : … » (administrative, with the files);
 *   3. the clinical summary, when given: a medical entry answering it (only roles that read
 *      medical entries see it, on the platform as in the store);
 *   4. the ServiceRequest (category admission, priority routine | urgent) and its Task.
 */
import type { AdmissionPriority, AdmissionRequest, PostAttachment } from '../../../contract';
import type { OutboxWriter } from '../../outbox/outbox';
import { postRequestDocuments } from '../../outbox/request-documents';
import { AGENDA, admissionIds } from './fhir-systems';
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
  /** The request as typed, without patient and files, for « Modifier » if refused (absent in rows from before it). */
  form?: Omit<AdmissionRequest, 'patientId' | 'replaces' | 'attachments'>;
}

export const establishmentName = (e: AdmissionPayload['establishment']): string => ('name' in e ? e.name : e.text);

export const admissionWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as AdmissionPayload;
  const ids = admissionIds(clientId);
  const summary = p.clinicalSummary?.trim();
  const { announcement, supportingInfo } = await postRequestDocuments(platform, professional, {
    ids: { file: ids.file, announcement: ids.announcement, medical: ids.summary },
    patientId: p.patientId,
    kind: 'admission-request',
    date: p.authoredOn,
    attachments: p.attachments,
    // A secretary may post it; nothing clinical is in it (the summary goes apart).
    announcement: {
      text: announcementText({ ...p, establishment: establishmentName(p.establishment) }),
      category: 'administrative',
      display: AGENDA.announcementDisplay,
    },
    ...(summary ? { medical: { text: `Résumé clinique pour la demande d'admission :\n${summary}`, display: AGENDA.summaryDisplay } } : {}),
  });
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
