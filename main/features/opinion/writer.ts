/**
 * Outbox writer for kind `opinion-request`. Each step is idempotent on an identifier derived from
 * the row's client id (opinionIds), so a retry after a crash finds what exists:
 *   1. each prepared photo as a Binary (already stripped and downscaled by photo.ts);
 *   2. the journal entry « Demande d'avis à … » carrying the question, the measurements and the
 *      photos — marked medical (wound photos are health data: never shown to practice staff);
 *   3. the ServiceRequest (category opinion) to the referent's HealthcareService and its Task.
 */
import type { OutboxWriter } from '../../outbox/outbox';
import { OPINION, opinionEntryText, opinionIds, type Measurements } from './fhir-mapping';

export interface OpinionRequestPayload {
  patientId: string;
  referent: { reference: string; display: string };
  question: string;
  measurements?: Measurements;
  /** Prepared JPEGs (base64), in the order chosen. */
  photos: { title: string; dataBase64: string }[];
  authoredOn: string;
}

export const opinionAnnouncement = (p: OpinionRequestPayload): string =>
  opinionEntryText({ referent: p.referent.display, question: p.question, ...(p.measurements ? { measurements: p.measurements } : {}), photos: p.photos.length });

export const opinionRequestWriter: OutboxWriter = async (payload, { clientId, platform, professional }) => {
  const p = payload as OpinionRequestPayload;
  const ids = opinionIds(clientId);
  const files: { contentType: string; title: string; url: string; size: number }[] = [];
  for (const [i, photo] of p.photos.entries()) {
    const data = Buffer.from(photo.dataBase64, 'base64');
    const bin = await platform.createBinary({ clientId: ids.photo(i), contentType: 'image/jpeg', data });
    files.push({ contentType: 'image/jpeg', title: photo.title, url: bin.url, size: data.length });
  }
  const entry = await platform.createJournalEntry({
    clientId: ids.entry,
    patientId: p.patientId,
    authorId: professional.id,
    kind: 'referral',
    text: opinionAnnouncement(p),
    date: p.authoredOn,
    attachments: files,
    category: 'care',
    confidentiality: 'medical',
  });
  const { serviceRequestId } = await platform.createOpinionRequest({
    clientId,
    patientId: p.patientId,
    senderId: professional.id,
    referent: p.referent,
    question: p.question,
    ...(p.measurements ? { measurements: p.measurements } : {}),
    supportingInfo: [{ reference: `DocumentReference/${entry.id}`, display: OPINION.entryDisplay }, ...files.map((f) => ({ reference: f.url, display: f.title }))],
    authoredOn: p.authoredOn,
  });
  return { platformId: serviceRequestId, entry };
};
