/**
 * The posting API (journal.post, outbox.list, alert.acknowledge): validation, audit and the
 * optimistic journal refresh around the outbox. Wired into RelaisCore's handler table.
 */
import {
  defaultPostCategory,
  MAX_ATTACHMENT_BYTES,
  RelaisError,
  type ApiRequest,
  type ApiResponse,
  type JournalEntry,
  type Professional,
  type Role,
} from '../../../contract';
import { auditActor } from '../../audit/audit-trail';
import type { EventBus } from '../../events';
import { journalEntryWrite } from './writer';
import type { LocalStore } from '../../store/store';
import type { Outbox } from '../../outbox/outbox';

export const ACKNOWLEDGEMENT_TEXT = 'Alerte prise en compte';

export interface PostingContext {
  outbox: Outbox;
  store: LocalStore;
  events: EventBus;
  professional: Professional;
  /** The session's role: the default category of a post (a secretary posts administrative entries). */
  role: () => Role;
  assertKnownPatient(patientId: string): void;
}

/** Tells the windows the local journal changed (the optimistic entry, or its platform version). */
export function announceJournal(store: LocalStore, events: EventBus, patientId: string): void {
  const page = store.page(patientId, undefined, 100);
  events.emit({
    type: 'journal-updated',
    patientId,
    entries: page.entries,
    total: page.total,
    syncedAt: store.getSyncedAt(patientId) ?? new Date().toISOString(),
  });
}

function findEntry(store: LocalStore, patientId: string, entryId: string): JournalEntry | null {
  // The newest pages are enough for what a window can show; fall back to a full-text-free scan.
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = store.page(patientId, cursor, 500);
    const hit = page.entries.find((e) => e.id === entryId);
    if (hit) return hit;
    if (!page.nextCursor) return null;
    cursor = page.nextCursor;
  }
  return null;
}

export function createPostingHandlers(ctx: PostingContext) {
  const { outbox, store, professional } = ctx;
  return {
    'journal.post': async (req: ApiRequest<'journal.post'>): Promise<ApiResponse<'journal.post'>> => {
      ctx.assertKnownPatient(req.patientId);
      for (const a of req.attachments ?? []) {
        if (Buffer.byteLength(a.dataBase64, 'base64') > MAX_ATTACHMENT_BYTES) {
          throw new RelaisError('INVALID_INPUT', 'file larger than 10 MB', 'attachments');
        }
      }
      const item = outbox.enqueue(journalEntryWrite({
        patientId: req.patientId,
        kind: req.kind,
        text: req.text,
        category: req.category ?? defaultPostCategory(ctx.role()),
        confidentiality: req.confidentiality ?? 'normal',
        ...(req.urgent ? { urgent: true } : {}),
        ...(req.replyTo ? { replyTo: req.replyTo } : {}),
        ...(req.attachments ? { attachments: req.attachments } : {}),
      }, store.journal));
      store.audit(auditActor(professional), 'journal.post', req.patientId, JSON.stringify({ clientId: item.id, kind: req.kind }));
      // No journal-updated here: that event means « confirmed by the platform ». The window
      // re-reads its first page from the store, where the pending entry already is.
      return item;
    },
    'outbox.list': async (req: ApiRequest<'outbox.list'>): Promise<ApiResponse<'outbox.list'>> => outbox.list(req.patientId),
    'outbox.retry': async ({ clientId }: ApiRequest<'outbox.retry'>): Promise<ApiResponse<'outbox.retry'>> => {
      const item = outbox.retry(clientId);
      if (!item) throw new RelaisError('INVALID_INPUT', 'only a refused item can be sent again', 'clientId');
      store.audit(auditActor(professional), 'outbox.retry', item.patientId, JSON.stringify({ clientId, kind: item.kind }));
      return item;
    },
    'outbox.discard': async ({ clientId }: ApiRequest<'outbox.discard'>): Promise<ApiResponse<'outbox.discard'>> => {
      const item = outbox.get(clientId);
      const payload = outbox.discard(clientId);
      if (!item || payload === null) return { discarded: false, text: null };
      store.audit(auditActor(professional), 'outbox.discard', item.patientId, JSON.stringify({ clientId, kind: item.kind }));
      const text = item.kind === 'journal-entry' && typeof (payload as { text?: unknown }).text === 'string' ? (payload as { text: string }).text : null;
      return { discarded: true, text };
    },
    'outbox.form': async ({ clientId }: ApiRequest<'outbox.form'>): Promise<ApiResponse<'outbox.form'>> => outbox.formOf(clientId),
    'alert.acknowledge': async (req: ApiRequest<'alert.acknowledge'>): Promise<ApiResponse<'alert.acknowledge'>> => {
      ctx.assertKnownPatient(req.patientId);
      const entry = findEntry(store, req.patientId, req.entryId);
      if (!entry) throw new RelaisError('INVALID_INPUT', 'unknown journal entry', 'entryId');
      if (entry.kind !== 'alert' && !entry.urgent) throw new RelaisError('INVALID_INPUT', 'this entry is not an alert', 'entryId');
      const item = outbox.enqueue(journalEntryWrite({
        patientId: req.patientId,
        kind: 'text',
        text: ACKNOWLEDGEMENT_TEXT,
        replyTo: req.entryId,
        marker: 'alert-acknowledged',
      }, store.journal));
      store.audit(auditActor(professional), 'alert.acknowledge', req.patientId, JSON.stringify({ clientId: item.id, entryId: req.entryId }));
      return item;
    },
  };
}
