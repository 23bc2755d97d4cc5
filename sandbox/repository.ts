/**
 * IndexedRepository: @medplum/fhir-router's MemoryRepository (real FHIR semantics for reads,
 * writes, versioning, If-Match, conditional create, _include) plus what a production platform
 * has and MemoryRepository lacks:
 *  - an index of DocumentReference by subject, kept sorted by (date desc, id), with numeric
 *    date/_lastUpdated per entry, answering the journal query in O(log n + page);
 *  - keyset (cursor) paging with Bundle `link` relation `next`, and `total`;
 *  - offset paging with `next` links for every other search (small resource types are scanned).
 * Stored resources are treated as immutable: every write replaces the stored object.
 */
import './medplum-env';
import { allOk, created as createdOutcome, formatSearchQuery, multipleMatches, Operator, OperationOutcomeError, type Filter, type SearchRequest, type SortRule } from '@medplum/core';
import { getExtraEntries, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, BundleLink, DocumentReference, Resource } from '@medplum/fhirtypes';
import { TokenIndex } from './token-index';

type WithId<T> = T & { id: string };

interface JournalRec {
  id: string;
  date: number;
  lastUpdated: number;
  resource: DocumentReference;
}

const DEFAULT_COUNT = 20;
const MAX_COUNT = 1000;

/** Sort order of the subject index: date descending, then id ascending. */
function before(a: { date: number; id: string }, b: { date: number; id: string }): boolean {
  return a.date > b.date || (a.date === b.date && a.id < b.id);
}

function encodeCursor(rec: { date: number; id: string }): string {
  return Buffer.from(JSON.stringify([rec.date, rec.id]), 'utf8').toString('base64url');
}
function decodeCursor(cursor: string): { date: number; id: string } | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return { date: v[0], id: v[1] };
  } catch {
    // fall through: invalid cursor
  }
  return undefined;
}

interface RangeFilter {
  field: 'date' | 'lastUpdated';
  op: 'gt' | 'ge' | 'lt' | 'le' | 'eq';
  value: number;
}

interface FastPlan {
  subject: string;
  ranges: RangeFilter[];
  ascending: boolean;
}

export class IndexedRepository extends MemoryRepository {
  /** Absolute FHIR base URL used in Bundle links (set by the server once it listens). */
  baseUrl = 'http://localhost/fhir';
  private bySubject = new Map<string, JournalRec[]>();
  private subjectOf = new Map<string, string>();
  /** identifier / _tag tokens → ids (exact-match searches and conditional creates). */
  private tokens = new TokenIndex();
  /** Conditional creates in progress per token: serialised so two retries never both create. */
  private creating = new Map<string, Promise<unknown>>();
  /** Indexes kept beside this one (sandbox/auth/care-scope.ts): told of every stored write and delete. */
  readonly observers: { stored(r: Resource): void; forget(type: string, id: string): void }[] = [];

  override clear(): void {
    super.clear();
    this.tokens = new TokenIndex();
    this.bySubject.clear();
    this.subjectOf.clear();
  }

  override async createResource<T extends Resource>(resource: T, options?: Parameters<MemoryRepository['createResource']>[1], update = false): Promise<WithId<T>> {
    const created = await super.createResource(resource, options, update);
    this.index(created);
    this.tokens.add(created);
    for (const o of this.observers) o.stored(created);
    return created;
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: Parameters<MemoryRepository['conditionalCreate']>[2],
  ): Promise<{ resource: WithId<T>; outcome: import('@medplum/fhirtypes').OperationOutcome }> {
    const token = search.resourceType === resource.resourceType ? TokenIndex.plan(search) : undefined;
    if (token) return this.conditionalCreateByToken(resource, search.resourceType, token, options);
    const result = await super.conditionalCreate(resource, search, options);
    this.index(result.resource);
    this.tokens.add(result.resource);
    for (const o of this.observers) o.stored(result.resource);
    return result;
  }

  /** If-None-Exist on one identifier / _tag token: answered from the token index, one create at a time per token. */
  private conditionalCreateByToken<T extends Resource>(
    resource: T,
    resourceType: string,
    token: NonNullable<ReturnType<typeof TokenIndex.plan>>,
    options?: Parameters<MemoryRepository['conditionalCreate']>[2],
  ): Promise<{ resource: WithId<T>; outcome: import('@medplum/fhirtypes').OperationOutcome }> {
    const key = `${resourceType}|${token.param}|${token.system}|${token.value}`;
    const previous = this.creating.get(key) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        const ids = this.tokens.lookup(resourceType, token);
        if (ids.length > 1) throw new OperationOutcomeError(multipleMatches);
        if (ids.length === 1) return { resource: (await this.readResource(resourceType, ids[0]!)) as WithId<T>, outcome: allOk };
        return { resource: await this.createResource(resource, options), outcome: createdOutcome };
      });
    this.creating.set(key, run);
    void run.finally(() => {
      if (this.creating.get(key) === run) this.creating.delete(key);
    }).catch(() => undefined);
    return run;
  }

  override async deleteResource(resourceType: string, id: string, options?: Parameters<MemoryRepository['deleteResource']>[2]): Promise<void> {
    await super.deleteResource(resourceType, id, options);
    this.tokens.remove(resourceType, id);
    for (const o of this.observers) o.forget(resourceType, id);
    if (resourceType === 'DocumentReference') this.unindex(id);
  }

  override async expungeResource(resourceType: string, id: string): Promise<void> {
    await super.expungeResource(resourceType, id);
    this.tokens.remove(resourceType, id);
    if (resourceType === 'DocumentReference') this.unindex(id);
  }

  override async expungeResources(resourceType: string, ids: string[]): Promise<void> {
    await super.expungeResources(resourceType, ids);
    ids.forEach((id) => this.tokens.remove(resourceType, id));
    for (const o of this.observers) ids.forEach((id) => o.forget(resourceType, id));
    if (resourceType === 'DocumentReference') ids.forEach((id) => this.unindex(id));
  }

  /** Stats for docs/benchmarks. */
  indexStats(): { subjects: number; entries: number } {
    let entries = 0;
    for (const list of this.bySubject.values()) entries += list.length;
    return { subjects: this.bySubject.size, entries };
  }

  // ------------------------------------------------------------------ index maintenance

  private index(resource: Resource): void {
    if (resource.resourceType !== 'DocumentReference' || !resource.id) return;
    this.unindex(resource.id);
    const subject = resource.subject?.reference;
    if (!subject) return;
    // Keep a reference to the stored object (not the returned clone): read it back by id.
    const stored = this.storedDocument(resource.id) ?? (resource as DocumentReference);
    const rec: JournalRec = {
      id: resource.id,
      date: Date.parse(resource.date ?? resource.meta?.lastUpdated ?? '') || 0,
      lastUpdated: Date.parse(resource.meta?.lastUpdated ?? '') || 0,
      resource: stored,
    };
    let list = this.bySubject.get(subject);
    if (!list) {
      list = [];
      this.bySubject.set(subject, list);
    }
    // Seeds arrive oldest first; new entries are usually newest: binary search the slot.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(list[mid]!, rec)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, rec);
    this.subjectOf.set(resource.id, subject);
  }

  private unindex(id: string): void {
    const subject = this.subjectOf.get(id);
    if (!subject) return;
    const list = this.bySubject.get(subject);
    if (list) {
      const i = list.findIndex((r) => r.id === id);
      if (i >= 0) list.splice(i, 1);
    }
    this.subjectOf.delete(id);
  }

  private storedDocument(id: string): DocumentReference | undefined {
    // MemoryRepository keeps its map private; reach it without copying (read-only use).
    const resources = (this as unknown as { resources: Map<string, Map<string, Resource>> }).resources;
    return resources.get('DocumentReference')?.get(id) as DocumentReference | undefined;
  }

  // ------------------------------------------------------------------ search

  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const plan = this.plan(searchRequest);
    if (plan) return (await this.searchJournal(searchRequest, plan)) as unknown as Bundle<WithId<T>>;
    const changes = this.planChanges(searchRequest);
    if (changes) return (await this.searchChanges(searchRequest, changes)) as unknown as Bundle<WithId<T>>;
    const token = TokenIndex.plan(searchRequest);
    if (token) return this.searchToken(searchRequest, token);
    return this.searchScan(searchRequest);
  }

  /** `?identifier=s|v` / `?_tag=s|c`: from the token index (the answer a scan would give, without the scan). */
  private async searchToken<T extends Resource>(req: SearchRequest<T>, token: NonNullable<ReturnType<typeof TokenIndex.plan>>): Promise<Bundle<WithId<T>>> {
    const ids = this.tokens.lookup(req.resourceType, token);
    const entry: BundleEntry<WithId<T>>[] = [];
    for (const id of ids.slice(0, Math.min(Math.max(req.count ?? DEFAULT_COUNT, 0), MAX_COUNT))) {
      const resource = (await this.readResource(req.resourceType, id)) as WithId<T>;
      entry.push({ fullUrl: `${this.baseUrl}/${req.resourceType}/${id}`, search: { mode: 'match' }, resource });
    }
    return { resourceType: 'Bundle', type: 'searchset', total: ids.length, link: [{ relation: 'self', url: this.searchUrl(req) }], ...(entry.length ? { entry } : {}) };
  }

  /** Recognises the journal query: DocumentReference by subject, optional date/_lastUpdated ranges, sorted by date. */
  private plan(req: SearchRequest): FastPlan | undefined {
    if (req.resourceType !== 'DocumentReference') return undefined;
    let subject: string | undefined;
    const ranges: RangeFilter[] = [];
    for (const f of req.filters ?? []) {
      if ((f.code === 'subject' || f.code === 'patient') && f.operator === Operator.EQUALS && !f.value.includes(',')) {
        if (subject !== undefined) return undefined;
        subject = f.value.includes('/') ? f.value : `Patient/${f.value}`;
      } else if (f.code === 'date' || f.code === '_lastUpdated') {
        const r = toRange(f);
        if (!r) return undefined;
        ranges.push(r);
      } else {
        return undefined;
      }
    }
    if (!subject) return undefined;
    const sort: SortRule[] = req.sortRules ?? [];
    if (sort.length > 1) return undefined;
    if (sort.length === 1 && sort[0]!.code !== 'date') return undefined;
    return { subject, ranges, ascending: sort.length === 1 && !sort[0]!.descending };
  }

  private async searchJournal(req: SearchRequest, plan: FastPlan): Promise<Bundle> {
    const all = this.bySubject.get(plan.subject) ?? [];
    const list = plan.ascending ? [...all].reverse() : all;
    const count = Math.min(Math.max(req.count ?? DEFAULT_COUNT, 0), MAX_COUNT);
    const matches = (r: JournalRec): boolean =>
      plan.ranges.every((g) => {
        const v = g.field === 'date' ? r.date : r.lastUpdated;
        switch (g.op) {
          case 'gt':
            return v > g.value;
          case 'ge':
            return v >= g.value;
          case 'lt':
            return v < g.value;
          case 'le':
            return v <= g.value;
          case 'eq':
            return v === g.value;
        }
      });

    // Start position: after the cursor (keyset), else at the offset.
    let start = 0;
    let skip = 0;
    if (req.cursor) {
      const c = decodeCursor(req.cursor);
      if (!c) throw new Error('Invalid cursor');
      let lo = 0;
      let hi = list.length;
      const after = plan.ascending ? (a: JournalRec) => before(c, a) || (a.date === c.date && a.id === c.id) : (a: JournalRec) => before(a, c) || (a.date === c.date && a.id === c.id);
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (after(list[mid]!)) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    } else {
      skip = req.offset ?? 0;
    }

    const page: JournalRec[] = [];
    let i = start;
    const filtered = plan.ranges.length > 0;
    if (!filtered) {
      i = start + skip;
      for (; i < list.length && page.length < count; i++) page.push(list[i]!);
    } else {
      for (; i < list.length && page.length < count; i++) {
        const r = list[i]!;
        if (!matches(r)) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        page.push(r);
      }
    }
    let hasMore = false;
    for (let j = i; j < list.length; j++) {
      if (!filtered || matches(list[j]!)) {
        hasMore = true;
        break;
      }
    }
    const total = filtered ? list.reduce((n, r) => n + (matches(r) ? 1 : 0), 0) : list.length;

    const entries: BundleEntry[] = page.map((r) => ({
      fullUrl: `${this.baseUrl}/DocumentReference/${r.id}`,
      search: { mode: 'match' },
      resource: r.resource,
    }));
    if ((req.include?.length || req.revInclude?.length) && entries.length > 0) {
      await getExtraEntries(this, req, includeRepresentatives(req, page.map((r) => r.resource)), entries);
    }
    const links: BundleLink[] = [{ relation: 'self', url: this.searchUrl(req) }];
    const last = page[page.length - 1];
    if (hasMore && last) {
      links.push({ relation: 'next', url: this.searchUrl({ ...req, offset: undefined, cursor: encodeCursor(last) }) });
    }
    return { resourceType: 'Bundle', type: 'searchset', total, link: links, entry: entries };
  }

  /**
   * The steady-state question of Relais (issue 17 item 7): DocumentReference of many subjects
   * (`subject=a,b,…`) changed in a `_lastUpdated` range, unsorted, no include. A production
   * server answers it from its subject index; the scan took ~1 s for 100 subjects.
   */
  private planChanges(req: SearchRequest): { subjects: string[]; ranges: RangeFilter[] } | undefined {
    if (req.resourceType !== 'DocumentReference' || req.sortRules?.length || req.include?.length || req.revInclude?.length) return undefined;
    let subjects: string[] | undefined;
    const ranges: RangeFilter[] = [];
    for (const f of req.filters ?? []) {
      if ((f.code === 'subject' || f.code === 'patient') && f.operator === Operator.EQUALS && subjects === undefined) {
        subjects = f.value.split(',').map((v) => (v.includes('/') ? v : `Patient/${v}`));
      } else if (f.code === '_lastUpdated') {
        const r = toRange(f);
        if (!r) return undefined;
        ranges.push(r);
      } else {
        return undefined;
      }
    }
    return subjects && ranges.length > 0 ? { subjects, ranges } : undefined;
  }

  private searchChanges(req: SearchRequest, plan: { subjects: string[]; ranges: RangeFilter[] }): Bundle {
    const count = Math.min(Math.max(req.count ?? DEFAULT_COUNT, 0), MAX_COUNT);
    const offset = req.offset ?? 0;
    const hit = (v: number, g: RangeFilter): boolean =>
      g.op === 'gt' ? v > g.value : g.op === 'ge' ? v >= g.value : g.op === 'lt' ? v < g.value : g.op === 'le' ? v <= g.value : v === g.value;
    const matched: JournalRec[] = [];
    for (const subject of new Set(plan.subjects)) {
      for (const r of this.bySubject.get(subject) ?? []) if (plan.ranges.every((g) => hit(r.lastUpdated, g))) matched.push(r);
    }
    const page = matched.slice(offset, offset + count);
    const links: BundleLink[] = [{ relation: 'self', url: this.searchUrl(req) }];
    if (offset + page.length < matched.length && page.length > 0) {
      links.push({ relation: 'next', url: this.searchUrl({ ...req, count, offset: offset + count }) });
    }
    const entry: BundleEntry[] = page.map((r) => ({ fullUrl: `${this.baseUrl}/DocumentReference/${r.id}`, search: { mode: 'match' }, resource: r.resource }));
    return { resourceType: 'Bundle', type: 'searchset', total: matched.length, link: links, ...(entry.length ? { entry } : {}) };
  }

  /** Every other search: MemoryRepository's scan, with a default page size and offset `next` links. */
  private async searchScan<T extends Resource>(req: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const count = Math.min(Math.max(req.count ?? DEFAULT_COUNT, 0), MAX_COUNT);
    const offset = req.offset ?? 0;
    const bundle = await super.search({ ...req, count, offset });
    const links: BundleLink[] = [{ relation: 'self', url: this.searchUrl(req) }];
    const matched = bundle.entry?.filter((e) => e.search?.mode !== 'include').length ?? 0;
    if (bundle.total !== undefined && offset + matched < bundle.total && matched > 0) {
      links.push({ relation: 'next', url: this.searchUrl({ ...req, count, offset: offset + count }) });
    }
    for (const e of bundle.entry ?? []) {
      if (e.resource?.id) e.fullUrl = `${this.baseUrl}/${e.resource.resourceType}/${e.resource.id}`;
    }
    return { ...bundle, link: links };
  }

  private searchUrl(req: SearchRequest): string {
    return `${this.baseUrl}/${req.resourceType}${formatSearchQuery(req)}`;
  }
}

function toRange(f: Filter): RangeFilter | undefined {
  const field = f.code === 'date' ? 'date' : 'lastUpdated';
  const ops: Record<string, RangeFilter['op']> = {
    [Operator.GREATER_THAN]: 'gt',
    [Operator.STARTS_AFTER]: 'gt',
    [Operator.GREATER_THAN_OR_EQUALS]: 'ge',
    [Operator.LESS_THAN]: 'lt',
    [Operator.ENDS_BEFORE]: 'lt',
    [Operator.LESS_THAN_OR_EQUALS]: 'le',
    [Operator.EQUALS]: 'eq',
  };
  const op = ops[f.operator];
  if (!op || f.value.includes(',')) return undefined;
  // Only full instants are indexed exactly; partial dates (2026-11) fall back to the scan.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(f.value)) return undefined;
  const value = Date.parse(f.value);
  if (Number.isNaN(value)) return undefined;
  return { field, op, value };
}

/** Reference fields of DocumentReference reachable by _include, by search parameter code. */
const INCLUDE_FIELDS: Record<string, (d: DocumentReference) => (string | undefined)[]> = {
  author: (d) => d.author?.map((a) => a.reference) ?? [],
  subject: (d) => [d.subject?.reference],
  patient: (d) => [d.subject?.reference],
  relatesto: (d) => d.relatesTo?.map((r) => r.target.reference) ?? [],
};

/**
 * The included resources depend only on the set of referenced values, so evaluate _include on one
 * document per distinct reference instead of the whole page (500 pages x 7 authors → 7 documents).
 * Falls back to the whole page for any include this does not understand.
 */
function includeRepresentatives(req: SearchRequest, docs: DocumentReference[]): DocumentReference[] {
  if (req.revInclude?.length) return docs;
  const direct = (req.include ?? []).filter((i) => i.modifier !== Operator.ITERATE);
  if (direct.some((i) => i.resourceType !== 'DocumentReference' || !INCLUDE_FIELDS[i.searchParam])) return docs;
  const seen = new Set<string>();
  const reps: DocumentReference[] = [];
  for (const d of docs) {
    let novel = false;
    for (const inc of direct) {
      for (const ref of INCLUDE_FIELDS[inc.searchParam]!(d)) {
        if (ref && !seen.has(inc.searchParam + '|' + ref)) {
          seen.add(inc.searchParam + '|' + ref);
          novel = true;
        }
      }
    }
    if (novel) reps.push(d);
  }
  return reps;
}
