/**
 * The journal entry's outbox writer (kind `journal-entry`): what `journal.post` and
 * `alert.acknowledge` enqueue, and how the worker sends it — the files first (Binary, tagged
 * `<clientId>/<index>`), then the DocumentReference, both idempotent on the row's client id
 * (If-None-Exist), so a row sent again after a crash is not created twice. docs/outbox.md.
 */
import {
  RelaisError,
  type Confidentiality,
  type EntryCategory,
  type JournalKind,
  type PostAttachment,
} from '../../../contract';
import { LOCAL_ENTRY_PREFIX, type EnqueueWrite, type OutboxWriter } from '../../outbox/outbox';
import type { NewJournalEntry } from '../../platform/port';
import type { JournalRepository } from '../../store/repositories/journal';

export const JOURNAL_ENTRY_KIND = 'journal-entry';

/** What a journal-entry row carries (JSON in `outbox.payload`). */
export interface JournalEntryPayload {
  patientId: string;
  kind: JournalKind;
  text: string;
  /** The professional's action (enqueue time): the entry's date on the platform. */
  date: string;
  replyTo?: string;
  marker?: NewJournalEntry['marker'];
  /** Absent in rows written before roles (read: care, normal). */
  category?: EntryCategory;
  confidentiality?: Confidentiality;
  /** « Urgent » chosen when writing (absent: false). */
  urgent?: boolean;
  /** Emptied (dataBase64 '') once sent, so the outbox does not keep files for ever. */
  attachments: PostAttachment[];
}

/** A post as the handlers receive it. */
export interface JournalPost {
  patientId: string;
  kind: JournalKind;
  text: string;
  replyTo?: string;
  marker?: NewJournalEntry['marker'];
  attachments?: PostAttachment[];
  category?: EntryCategory;
  confidentiality?: Confidentiality;
  urgent?: boolean;
}

/** The item's one line: the text, or the files' titles for a post without text. */
function summaryOf(text: string, attachments: readonly PostAttachment[]): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t) return t.length > 200 ? `${t.slice(0, 199)}…` : t;
  return attachments.map((a) => a.title).join(', ').slice(0, 200);
}

/**
 * Validates a post and answers what `Outbox.enqueue` takes: the payload, the summary and the
 * optimistic entry (the text, no attachments: their bytes are not on the platform yet).
 */
export function journalEntryWrite(
  post: JournalPost,
  journal: Pick<JournalRepository, 'hasInJournal'>,
  date: string = new Date().toISOString(),
): EnqueueWrite {
  const attachments = post.attachments ?? [];
  if (post.text.trim() === '' && attachments.length === 0) {
    throw new RelaisError('INVALID_INPUT', 'nothing to post: no text and no file', 'text');
  }
  if (post.kind !== 'text' && post.kind !== 'alert' && attachments.length === 0) {
    throw new RelaisError('INVALID_INPUT', `a ${post.kind} entry needs a file`, 'attachments');
  }
  if (post.replyTo && !journal.hasInJournal(post.patientId, post.replyTo)) {
    throw new RelaisError('INVALID_INPUT', 'the entry answered is not in this journal', 'replyTo');
  }
  const payload: JournalEntryPayload = {
    patientId: post.patientId,
    kind: post.kind,
    text: post.text,
    date,
    ...(post.replyTo ? { replyTo: post.replyTo } : {}),
    ...(post.marker ? { marker: post.marker } : {}),
    ...(post.category ? { category: post.category } : {}),
    ...(post.confidentiality ? { confidentiality: post.confidentiality } : {}),
    ...(post.urgent ? { urgent: true } : {}),
    attachments,
  };
  return {
    kind: JOURNAL_ENTRY_KIND,
    patientId: post.patientId,
    payload,
    summary: summaryOf(post.text, attachments),
    optimistic: {
      kind: post.kind,
      text: post.text,
      date,
      ...(post.replyTo ? { replyTo: post.replyTo } : {}),
      ...(post.category ? { category: post.category } : {}),
      ...(post.confidentiality ? { confidentiality: post.confidentiality } : {}),
      ...(post.urgent ? { urgent: true } : {}),
    },
  };
}

export const journalEntryWriter: OutboxWriter = async (raw, { clientId, professional, platform, platformIdOfLocalEntry }) => {
  const payload = raw as JournalEntryPayload;
  let replyTo = payload.replyTo;
  if (replyTo?.startsWith(LOCAL_ENTRY_PREFIX)) {
    // An answer to an entry posted from here: sent before it (strict order), so its id is known.
    const platformId = platformIdOfLocalEntry?.(replyTo);
    if (!platformId) throw new RelaisError('INVALID_INPUT', 'the entry answered could not be posted');
    replyTo = platformId;
  }
  const attachments: NewJournalEntry['attachments'] = [];
  for (const [i, a] of payload.attachments.entries()) {
    const data = Buffer.from(a.dataBase64, 'base64');
    const bin = await platform.createBinary({ clientId: `${clientId}/${i}`, contentType: a.contentType, data });
    attachments.push({ contentType: a.contentType, title: a.title, url: bin.url, size: data.length });
  }
  const entry = await platform.createJournalEntry({
    clientId,
    patientId: payload.patientId,
    authorId: professional.id,
    kind: payload.kind,
    text: payload.text,
    date: payload.date,
    attachments,
    ...(replyTo ? { replyTo } : {}),
    ...(payload.marker ? { marker: payload.marker } : {}),
    ...(payload.category ? { category: payload.category } : {}),
    ...(payload.confidentiality ? { confidentiality: payload.confidentiality } : {}),
    ...(payload.urgent ? { urgent: true } : {}),
  });
  return { platformId: entry.id, entry };
};
