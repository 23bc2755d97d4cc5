/**
 * The coordination journal of the open patient: pages from the local store (synced first when
 * the store has none), facets, read marks, pins, the free-text draft, and posting through the
 * outbox (./posting.ts).
 */
import type { ApiRequest, ApiResponse } from '../../../contract';
import type { FeatureContext } from '../feature';
import { createPostingHandlers } from './posting';
import { JOURNAL_ENTRY_KIND, journalEntryWriter } from './writer';

export function createJournalFeature(o: FeatureContext) {
  const handlers = {
    'journal.page': async ({ patientId, cursor, limit, filter }: ApiRequest<'journal.page'>): Promise<ApiResponse<'journal.page'>> => {
      o.assertKnownPatient(patientId);
      if (!o.journal.hasPaintable(patientId)) await o.track(() => o.journal.openFirst(patientId));
      return o.journal.pageOnDemand(patientId, cursor, limit, filter);
    },
    'journal.facets': async ({ patientId }: ApiRequest<'journal.facets'>): Promise<ApiResponse<'journal.facets'>> => {
      o.assertKnownPatient(patientId);
      return o.store.facets(patientId);
    },
    'journal.markRead': async ({ patientId }: ApiRequest<'journal.markRead'>): Promise<ApiResponse<'journal.markRead'>> => {
      o.assertKnownPatient(patientId);
      return { marked: o.store.markRead(patientId) };
    },
    'journal.pin': async ({ patientId, entryId, pinned }: ApiRequest<'journal.pin'>): Promise<ApiResponse<'journal.pin'>> => {
      o.assertKnownPatient(patientId);
      o.store.setPinned(patientId, entryId, pinned);
      o.store.audit(o.actor, pinned ? 'journal.pin' : 'journal.unpin', patientId, entryId);
      return { pinned };
    },
    'draft.get': async ({ patientId }: ApiRequest<'draft.get'>): Promise<ApiResponse<'draft.get'>> => o.store.getDraft(patientId),
    'draft.save': async ({ patientId, text }: ApiRequest<'draft.save'>): Promise<ApiResponse<'draft.save'>> => {
      o.assertKnownPatient(patientId);
      return o.store.saveDraft(patientId, text);
    },
    ...createPostingHandlers(o),
  };
  return { handlers, writers: { [JOURNAL_ENTRY_KIND]: journalEntryWriter } };
}
