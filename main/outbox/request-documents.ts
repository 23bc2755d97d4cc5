/**
 * The first steps of the writers of requests (admission request, referral), each idempotent on
 * an identifier derived from the outbox row's client id:
 *   1. the attached files (Binary);
 *   2. the journal entry announcing the request, carrying the files (never medical);
 *   3. when given, the clinical text as a medical entry answering it — only roles that read
 *      medical entries see it, on the platform as in the store.
 * Answers the announcement and the ServiceRequest's supportingInfo references to all of them.
 */
import type { EntryCategory, JournalEntry, JournalKind, PostAttachment, Professional } from '../../contract';
import type { Platform } from '../platform/port';

export interface RequestDocuments {
  ids: { file(i: number): string; announcement: string; medical: string };
  patientId: string;
  kind: JournalKind;
  /** The request's instant (enqueue time): the entries are dated with it. */
  date: string;
  attachments: PostAttachment[];
  announcement: { text: string; category: EntryCategory; display: string };
  medical?: { text: string; display: string };
}

export async function postRequestDocuments(
  platform: Platform,
  professional: Professional,
  r: RequestDocuments,
): Promise<{ announcement: JournalEntry; supportingInfo: { reference: string; display: string }[] }> {
  const files: { contentType: string; title: string; url: string; size: number }[] = [];
  for (const [i, a] of r.attachments.entries()) {
    const data = Buffer.from(a.dataBase64, 'base64');
    const bin = await platform.createBinary({ clientId: r.ids.file(i), contentType: a.contentType, data });
    files.push({ contentType: a.contentType, title: a.title, url: bin.url, size: data.length });
  }
  const entry = (clientId: string, text: string, more: Partial<Parameters<Platform['createJournalEntry']>[0]>) =>
    platform.createJournalEntry({ clientId, patientId: r.patientId, authorId: professional.id, kind: r.kind, text, date: r.date, attachments: [], ...more });
  const announcement = await entry(r.ids.announcement, r.announcement.text, {
    attachments: files,
    category: r.announcement.category,
    confidentiality: 'normal',
  });
  const supportingInfo = [
    { reference: `DocumentReference/${announcement.id}`, display: r.announcement.display },
    ...files.map((f) => ({ reference: f.url, display: f.title })),
  ];
  if (r.medical) {
    const answer = await entry(r.ids.medical, r.medical.text, { replyTo: announcement.id, category: 'care', confidentiality: 'medical' });
    supportingInfo.push({ reference: `DocumentReference/${answer.id}`, display: r.medical.display });
  }
  return { announcement, supportingInfo };
}
