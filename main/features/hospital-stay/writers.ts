/**
 * Outbox writers of the hospital-stay feature, idempotent on identifiers derived from the row's
 * client id:
 *   emergency-fiche: the PDF (Binary) and the journal entry carrying it (kind document, care), then
 *     the Communication sending that DocumentReference to the establishment;
 *   checklist-tick: one completed Task (code = the item) based on the admission request.
 */
import type { ChecklistItem, PostAttachment } from '../../../contract';
import type { OutboxWriter } from '../../outbox/outbox';
import { postRequestDocuments } from '../../outbox/request-documents';
import { STAY, ficheIds } from './fhir-systems';

export interface FichePayload {
  patientId: string;
  establishment: { reference: string; display: string };
  text: string;
  pdf: PostAttachment;
  generatedAt: string;
}

export const ficheWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as FichePayload;
  const ids = ficheIds(clientId);
  const { announcement } = await postRequestDocuments(platform, professional, {
    ids: { file: ids.file, announcement: ids.entry, medical: ids.medical },
    patientId: p.patientId,
    kind: 'document',
    date: p.generatedAt,
    attachments: [p.pdf],
    announcement: { text: p.text, category: 'care', display: STAY.ficheTitle },
  });
  await platform.sendFiche({ clientId: ids.communication, patientId: p.patientId, senderId: professional.id, establishment: p.establishment, documentId: announcement.id, sent: p.generatedAt });
  return { platformId: announcement.id, entry: announcement };
};

export interface TickPayload {
  patientId: string;
  admissionId: string;
  item: ChecklistItem;
  label: string;
  at: string;
  /** The journal entry telling the care team (administrative: the secretary may write it). */
  text: string;
}

export const tickWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as TickPayload;
  const entry = await platform.createJournalEntry({
    clientId,
    patientId: p.patientId,
    authorId: professional.id,
    kind: 'hospitalisation',
    text: p.text,
    date: p.at,
    attachments: [],
    category: 'administrative',
    confidentiality: 'normal',
  });
  const taskId = await platform.createChecklistTick({ clientId: `${clientId}/task`, patientId: p.patientId, admissionId: p.admissionId, item: p.item, label: p.label, senderId: professional.id, at: p.at });
  return { platformId: taskId, entry };
};
