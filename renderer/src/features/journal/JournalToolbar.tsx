import { useEffect, useId, useState } from 'react';
import { DateInput } from '../../ui/DateInput';
import { JOURNAL_KINDS, type JournalFacets, type JournalFilter, type JournalKind } from '../../contract';
import { fr } from '../../i18n/fr';
import { activeFilter } from './controller';

const SEARCH_DELAY_MS = 250;

/**
 * Search and filters of the open journal. The search box keeps what is typed on screen and asks
 * the store only after a short pause, so typing stays fluid on 10,000 entries.
 */
export function JournalToolbar({
  filter,
  facets,
  total,
  onChange,
}: {
  filter: JournalFilter;
  facets: JournalFacets | null;
  total: number;
  onChange: (filter: JournalFilter) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState(filter.query ?? '');
  useEffect(() => {
    if ((filter.query ?? '') === query) return;
    const t = setTimeout(() => onChange({ ...filter, query }), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [query, filter, onChange]);

  const one = <T extends string>(value: T | '') => (value ? [value] : undefined);
  const active = activeFilter(filter) !== undefined;
  // Everything but the search box sits behind « Filtrer » so the first entry stays in view
  // (issue 15 item 8); opened by default when a filter other than the search is on.
  const others = [filter.kinds?.length, filter.roleLabels?.length, filter.authorIds?.length, filter.from, filter.to, filter.unreadOnly, filter.pinnedOnly].filter(Boolean).length;
  const [open, setOpen] = useState(others > 0);
  return (
    <form className="journal-toolbar" role="search" aria-label={fr.filters.label} onSubmit={(e) => e.preventDefault()}>
      <label className="field field--grow">
        <span className="visually-hidden">{fr.filters.search}</span>
        <input
          type="search"
          value={query}
          placeholder={fr.filters.searchPlaceholder}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="journal-search"
          aria-label={fr.filters.search}
        />
      </label>
      <button
        type="button"
        className="button button-small filters-toggle"
        aria-expanded={open}
        aria-controls={`${id}-more`}
        onClick={() => setOpen(!open)}
        data-testid="filters-toggle"
      >
        {others > 0 ? fr.layout.filterActive(others) : fr.layout.filter}
      </button>
      {active && (
        <>
          <span className="muted filter-results" role="status" data-testid="filter-results">
            {fr.filters.results(total)}
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setQuery('');
              onChange({});
            }}
          >
            {fr.filters.reset}
          </button>
        </>
      )}
      <div className="filters-more" id={`${id}-more`} hidden={!open} role="group" aria-label={fr.layout.filtersPanel}>
      <label className="field">
        <span className="visually-hidden">{fr.filters.kind}</span>
        <select
          value={filter.kinds?.[0] ?? ''}
          onChange={(e) => onChange({ ...filter, kinds: one(e.target.value as JournalKind | '') })}
          data-testid="filter-kind"
        >
          <option value="">{fr.filters.allKinds}</option>
          {JOURNAL_KINDS.map((k) => (
            <option key={k} value={k}>
              {fr.journal.kinds[k]}
              {facets ? ` (${facets.kinds.find((f) => f.kind === k)?.count ?? 0})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="visually-hidden">{fr.filters.profession}</span>
        <select value={filter.roleLabels?.[0] ?? ''} onChange={(e) => onChange({ ...filter, roleLabels: one(e.target.value) })}>
          <option value="">{fr.filters.allProfessions}</option>
          {facets?.roleLabels.map((r) => (
            <option key={r.roleLabel} value={r.roleLabel}>
              {r.roleLabel} ({r.count})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="visually-hidden">{fr.filters.author}</span>
        <select
          value={filter.authorIds?.[0] ?? ''}
          onChange={(e) => onChange({ ...filter, authorIds: one(e.target.value) })}
          data-testid="filter-author"
        >
          <option value="">{fr.filters.allAuthors}</option>
          {facets?.authors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} — {a.roleLabel} ({a.count})
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={`${id}-from`}>
        <span className="field-label">{fr.filters.from}</span>
        <DateInput id={`${id}-from`} value={filter.from ?? ''} onChange={(iso) => onChange({ ...filter, from: iso || undefined })} />
      </label>
      <label className="field" htmlFor={`${id}-to`}>
        <span className="field-label">{fr.filters.to}</span>
        <DateInput id={`${id}-to`} value={filter.to ?? ''} onChange={(iso) => onChange({ ...filter, to: iso || undefined })} />
      </label>
      <button
        type="button"
        className="button button-small button-quiet"
        aria-pressed={filter.unreadOnly === true}
        onClick={() => onChange({ ...filter, unreadOnly: !filter.unreadOnly || undefined })}
        data-testid="filter-unread"
      >
        {fr.filters.unreadOnly(facets?.unread ?? 0)}
      </button>
      <button
        type="button"
        className="button button-small button-quiet"
        aria-pressed={filter.pinnedOnly === true}
        onClick={() => onChange({ ...filter, pinnedOnly: !filter.pinnedOnly || undefined })}
        data-testid="filter-pinned"
      >
        {fr.filters.pinnedOnly(facets?.pinned ?? 0)}
      </button>
      </div>
    </form>
  );
}
