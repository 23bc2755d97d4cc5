/**
 * The steady-state question of issue 17 item 7: for the followed patients, which journals changed
 * and which alerts (Flag) are new or changed — one request per 100 patients answering both.
 *
 * Why a `batch` Bundle (POST [base], two GET entries) rather than one search over `_type`:
 * - FHIR R4 allows, with `_type`, only the search parameters common to every listed type
 *   (search.html#_type); `subject` is not a Resource-level parameter, so a conformant server
 *   (HAPI, for one) refuses or ignores it, and Medplum's router accepts the form but its
 *   MemoryRepository — the sandbox's — answers nothing for it (probed: `?_type=DocumentReference,
 *   Flag&subject=…` → an empty Bundle).
 * - `batch` is base R4 (http.html#transaction), answered by Medplum's fhir-router, HAPI and the
 *   cloud FHIR services; each entry is an ordinary search with its own `_lastUpdated`, and the
 *   100 patient references travel in the body, not in a URL that proxies may cut at 8 KB.
 * The platform sees one HTTP request per 100 patients; a page beyond the first (a burst of
 * changes after a long absence) is followed with plain GETs.
 */
import type { AxiosInstance } from 'axios';
import type { Bundle, BundleEntry, DocumentReference, Flag } from '@medplum/fhirtypes';
import { RelaisError } from '../../../contract';
import type { AlertsBatch } from '../../features/panels/fhir-adapter';
import type { ChangesAnswer, ChangesQuestion } from '../port';
import { referenceId } from './mapping';

/** Patients per request: keeps each search's OR-list and the server's work bounded. */
export const PATIENTS_PER_QUESTION = 100;

export interface ChangesDeps {
  http: AxiosInstance;
  /** The pages after a first one, from its `next` link (origin-checked by the caller). */
  pagesAfter(nextUrl: string, what: string): AsyncIterable<Bundle>;
  alertsOfFlags(flags: readonly Flag[], since: string | null): Promise<AlertsBatch>;
  toRelaisError(err: unknown, what: string): RelaisError;
}

const WHAT = 'Poll changes';

function isBundle(x: unknown): x is Bundle {
  return !!x && typeof x === 'object' && (x as Bundle).resourceType === 'Bundle';
}

export function createChangesAdapter(deps: ChangesDeps) {
  /** Every entry of a searchset answered inside the batch, its next pages included. */
  const allEntries = async (first: Bundle): Promise<BundleEntry[]> => {
    const entries = [...(first.entry ?? [])];
    const next = first.link?.find((l) => l.relation === 'next')?.url;
    if (next) for await (const page of deps.pagesAfter(next, WHAT)) entries.push(...(page.entry ?? []));
    return entries;
  };

  const ask = async (searches: string[]): Promise<Bundle[]> => {
    const body: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: searches.map((url) => ({ request: { method: 'GET', url } })),
    };
    let answer: unknown;
    try {
      answer = (await deps.http.post<unknown>('', body, { headers: { 'Content-Type': 'application/fhir+json' } })).data;
    } catch (err) {
      throw deps.toRelaisError(err, WHAT);
    }
    if (!isBundle(answer) || answer.type !== 'batch-response' || (answer.entry?.length ?? 0) !== searches.length) {
      throw new RelaisError('PLATFORM_ERROR', `${WHAT}: the platform did not answer the batch`);
    }
    return answer.entry!.map((e) => {
      const status = Number.parseInt(e.response?.status ?? '', 10);
      if (!(status >= 200 && status < 300) || !isBundle(e.resource)) {
        throw new RelaisError(
          'PLATFORM_ERROR',
          `${WHAT}: a search of the batch failed (${e.response?.status ?? 'no status'})`,
        );
      }
      return e.resource;
    });
  };

  return {
    async changesAmong(question: ChangesQuestion): Promise<ChangesAnswer> {
      const journalChanged = new Set<string>();
      const flags: Flag[] = [];
      for (let i = 0; i < question.patients.length; i += PATIENTS_PER_QUESTION) {
        const chunk = question.patients.slice(i, i + PATIENTS_PER_QUESTION);
        const withSince = chunk.filter((p): p is { id: string; since: string } => p.since !== null);
        const searches: string[] = [];
        let journalAt = -1;
        if (withSince.length > 0) {
          // From the oldest `since` of the chunk; each patient is then judged against its own.
          const since = withSince.reduce((min, p) => (p.since < min ? p.since : min), withSince[0]!.since);
          const qs = new URLSearchParams({
            subject: withSince.map((p) => `Patient/${p.id}`).join(','),
            _lastUpdated: `gt${since}`,
            _elements: 'subject',
            _count: '1000',
          });
          journalAt = searches.push(`DocumentReference?${qs.toString()}`) - 1;
        }
        let alertsAt = -1;
        if (question.alertsSince !== null) {
          const qs = new URLSearchParams({
            subject: chunk.map((p) => `Patient/${p.id}`).join(','),
            // ge, not gt: two flags of the same millisecond are both seen (the watcher dedupes by id).
            _lastUpdated: `ge${question.alertsSince}`,
            _count: '200',
          });
          alertsAt = searches.push(`Flag?${qs.toString()}`) - 1;
        }
        if (searches.length === 0) continue;
        const answers = await ask(searches);
        if (journalAt >= 0) {
          const sinceOf = new Map(withSince.map((p) => [p.id, Date.parse(p.since)]));
          for (const e of await allEntries(answers[journalAt]!)) {
            const doc = e.resource as DocumentReference | undefined;
            if (doc?.resourceType !== 'DocumentReference') continue;
            const id = referenceId(doc.subject?.reference, 'Patient');
            const since = id !== undefined ? sinceOf.get(id) : undefined;
            if (id === undefined || since === undefined) continue;
            const updated = Date.parse(doc.meta?.lastUpdated ?? '');
            // No usable lastUpdated: assume changed (a sync that finds nothing costs one request).
            if (!Number.isFinite(updated) || updated > since) journalChanged.add(id);
          }
        }
        if (alertsAt >= 0) {
          for (const e of await allEntries(answers[alertsAt]!))
            if (e.resource?.resourceType === 'Flag') flags.push(e.resource);
        }
      }
      const alerts = question.alertsSince !== null ? await deps.alertsOfFlags(flags, question.alertsSince) : null;
      return { journalChanged, alerts };
    },
  };
}
