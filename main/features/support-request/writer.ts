/**
 * Outbox writer for kind `support-request`. Each step is idempotent on an identifier derived from
 * the row's client id (fhir-systems.ts supportIds), so a retry after a crash finds what exists:
 *   1. the journal entry « Demande d'appui à … » (kind referral; administrative when the
 *      secretary sends it, the only kind she may post);
 *   2. the medical details, when given: a medical entry answering it;
 *   3. the ServiceRequest to the cell's HealthcareService and its Task owned by the cell.
 */
import type { EntryCategory, SupportAsk, SupportReason } from '../../../contract';
import type { OutboxWriter } from '../../outbox/outbox';
import { postRequestDocuments } from '../../outbox/request-documents';
import { SUPPORT, supportIds } from './fhir-systems';
import { announcementText, detailsText, type CONSENT_LABEL } from './support-text';

export interface SupportRequestPayload {
  patientId: string;
  cell: { reference: string; display: string };
  owner: { reference: string; display: string };
  reason: SupportReason;
  asks: SupportAsk[];
  urgency: 'routine' | 'urgent';
  consentBy: keyof typeof CONSENT_LABEL;
  inPlace?: string;
  medicalDetails?: string;
  stay?: { from: string; to: string };
  onBehalfOf?: { reference: string; display: string };
  category: EntryCategory;
  authoredOn: string;
}

export const supportAnnouncement = (p: SupportRequestPayload): string =>
  announcementText({ ...p, cell: p.cell.display, onBehalfOf: p.onBehalfOf?.display });

export const supportRequestWriter: OutboxWriter = async (payload, { clientId, professional, platform }) => {
  const p = payload as SupportRequestPayload;
  const ids = supportIds(clientId);
  const details = p.medicalDetails?.trim();
  const { announcement, supportingInfo } = await postRequestDocuments(platform, professional, {
    ids: { file: ids.file, announcement: ids.announcement, medical: ids.details },
    patientId: p.patientId,
    kind: 'referral',
    date: p.authoredOn,
    attachments: [],
    announcement: { text: supportAnnouncement(p), category: p.category, display: SUPPORT.announcementDisplay },
    ...(details ? { medical: { text: detailsText(details), display: SUPPORT.detailsDisplay } } : {}),
  });
  const { serviceRequestId } = await platform.createSupportRequest({
    clientId,
    patientId: p.patientId,
    senderId: professional.id,
    ...(p.onBehalfOf ? { onBehalfOf: p.onBehalfOf } : {}),
    cell: p.cell,
    owner: p.owner,
    reason: p.reason,
    asks: p.asks,
    urgency: p.urgency,
    consentBy: p.consentBy,
    ...(p.stay ? { stay: p.stay } : {}),
    supportingInfo,
    authoredOn: p.authoredOn,
  });
  return { platformId: serviceRequestId, entry: announcement };
};
