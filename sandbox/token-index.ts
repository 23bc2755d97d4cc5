/**
 * Exact-match index of `identifier` (system|value) and `meta.tag` (system|code) tokens, so the
 * sandbox answers `?identifier=s|v`, `?_tag=s|c` and conditional creates (`If-None-Exist`) on
 * them in O(1) instead of scanning every resource of the type with FHIRPath (≈ 9 s per POST on
 * the 13,000-entry seed). Used by IndexedRepository; semantics are unchanged (the scan gives the
 * same answer, only slower).
 */
import { Operator, type SearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

export type TokenParam = 'identifier' | '_tag';

export interface TokenQuery {
  param: TokenParam;
  system: string;
  value: string;
}

function tokensOf(resource: Resource): string[] {
  const out: string[] = [];
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier;
  if (Array.isArray(identifiers)) {
    for (const i of identifiers) if (i.system && i.value) out.push(`identifier|${i.system}|${i.value}`);
  }
  for (const t of resource.meta?.tag ?? []) if (t.system && t.code) out.push(`_tag|${t.system}|${t.code}`);
  return out;
}

export class TokenIndex {
  /** `<type>|<param>|<system>|<value>` → ids. */
  private readonly ids = new Map<string, Set<string>>();
  /** `<type>/<id>` → its keys, to drop them on update/delete. */
  private readonly keysOf = new Map<string, string[]>();

  add(resource: Resource): void {
    if (!resource.id) return;
    this.remove(resource.resourceType, resource.id);
    const keys = tokensOf(resource).map((t) => `${resource.resourceType}|${t}`);
    if (keys.length === 0) return;
    for (const k of keys) {
      let set = this.ids.get(k);
      if (!set) this.ids.set(k, (set = new Set()));
      set.add(resource.id);
    }
    this.keysOf.set(`${resource.resourceType}/${resource.id}`, keys);
  }

  remove(resourceType: string, id: string): void {
    const ref = `${resourceType}/${id}`;
    for (const k of this.keysOf.get(ref) ?? []) {
      const set = this.ids.get(k);
      set?.delete(id);
      if (set && set.size === 0) this.ids.delete(k);
    }
    this.keysOf.delete(ref);
  }

  lookup(resourceType: string, q: TokenQuery): string[] {
    return [...(this.ids.get(`${resourceType}|${q.param}|${q.system}|${q.value}`) ?? [])];
  }

  /** The search, when it is exactly one `identifier=s|v` or `_tag=s|c` filter (no sort that matters). */
  static plan(req: SearchRequest): TokenQuery | undefined {
    const filters = req.filters ?? [];
    if (filters.length !== 1 || req.include?.length || req.revInclude?.length) return undefined;
    const f = filters[0]!;
    if ((f.code !== 'identifier' && f.code !== '_tag') || f.operator !== Operator.EQUALS) return undefined;
    if (f.value.includes(',')) return undefined;
    const bar = f.value.indexOf('|');
    if (bar <= 0 || bar === f.value.length - 1) return undefined;
    return { param: f.code, system: f.value.slice(0, bar), value: f.value.slice(bar + 1) };
  }
}
