import { useState, type KeyboardEvent } from 'react';
import { medicationLabel, TEXT_FIELD_MAX, type DrugHit, type PrescriptionDraftLine } from '../../contract';
import { fr } from '../../i18n/fr';
import type { PrescriptionController, PrescriptionViewState } from './controller';
import { ruleNotices } from './drug-line';

/**
 * The medication field of a line: a combobox searching the drug database as the GP types (DCI
 * lines first, then specialities), or the free text of a line no database knows. Once a drug is
 * chosen the line shows it DCI first, its kind, and the rules of the BDPM beside it.
 */
export function DrugField({
  controller,
  line,
  search,
  inputId,
  describedBy,
  invalid,
  errorText,
}: {
  controller: PrescriptionController;
  line: PrescriptionDraftLine;
  search: PrescriptionViewState['search'];
  inputId: string;
  describedBy: string | undefined;
  invalid: boolean;
  errorText: React.ReactNode;
}) {
  const [active, setActive] = useState(0);
  const mine = search.lineKey === line.key;
  const hits = mine ? search.hits : [];
  const expanded = mine && (hits.length > 0 || (!search.loading && search.query.trim().length >= 2));
  const listId = `${inputId}-list`;
  const choose = (hit: DrugHit) => {
    controller.chooseDrug(line.key, hit);
    setActive(0);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!expanded) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = hits.length;
      if (n > 0) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === 'Enter' && hits[active]) {
      e.preventDefault();
      choose(hits[active]!);
    } else if (e.key === 'Escape') {
      // The list closes; the dialog stays (Escape on the dialog itself closes it).
      e.preventDefault();
      e.stopPropagation();
      controller.closeSearch();
    }
  };
  const drug = line.drug;
  return (
    <div className={`rx-field rx-wide rx-drug${invalid ? ' rx-field--invalid' : ''}`}>
      <label htmlFor={inputId}>{fr.rx.searchLabel}</label>
      <div className="rx-drug-input">
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && hits[active] ? `${listId}-${active}` : undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          maxLength={TEXT_FIELD_MAX.medication}
          placeholder={fr.rx.searchPlaceholder}
          value={line.medication}
          onChange={(e) => {
            setActive(0);
            controller.searchDrugs(line.key, e.target.value);
          }}
          onKeyDown={onKey}
          onBlur={() => mine && controller.closeSearch()}
          data-testid="drug-search"
        />
        {drug ? (
          <span className={`rx-badge rx-badge--${drug.kind}`} data-testid="drug-kind">
            {fr.rx.chosen(drug.kind)}
          </span>
        ) : (
          line.medication.trim() !== '' && (
            <span className="rx-badge rx-badge--free" title={fr.rx.freeTextHint} data-testid="drug-kind">
              {fr.rx.freeText}
            </span>
          )
        )}
      </div>
      {mine && search.loading && <p className="muted rx-hint">{fr.rx.searching}</p>}
      {expanded && (
        <ul id={listId} role="listbox" aria-label={fr.rx.resultsLabel} className="rx-hits" data-testid="drug-hits">
          {hits.length === 0 && <li className="muted rx-hit-empty">{fr.rx.noHit}</li>}
          {hits.map((hit, i) => {
            const r = hit.choice.rules;
            return (
              <li
                key={`${hit.choice.kind}-${hit.choice.cis}-${hit.choice.dciLabel}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={`rx-hit${i === active ? ' rx-hit--active' : ''}${r.refusal ? ' rx-hit--refused' : ''}`}
                // mousedown, not click: the input keeps the focus (no blur before the choice).
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(hit);
                }}
                data-testid="drug-hit"
              >
                <span className={`rx-badge rx-badge--${hit.choice.kind}`}>{fr.rx.kind[hit.choice.kind]}</span>
                <span className="rx-hit-label">{medicationLabel(hit.choice)}</span>
                <span className="rx-hit-meta muted">
                  {[
                    hit.choice.kind === 'dci' ? fr.rx.dciGroup(hit.specialities) : null,
                    hit.marketed ? null : fr.rx.notMarketed,
                    r.narcotic ? 'stupéfiant' : r.list ? `liste ${r.list}` : null,
                    r.refusal ? 'non prescriptible en ville' : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {drug && (
        <>
          <ul className="rx-rules" data-testid="drug-rules">
            {drug.routes.length > 0 && <li className="rx-rule rx-rule--info">{fr.rx.routesFromBdpm(drug.routes.join(', '))}</li>}
            {ruleNotices(drug.rules).map((n) => (
              <li key={n.text} className={`rx-rule rx-rule--${n.tone}`}>
                {n.text}
              </li>
            ))}
          </ul>
          <button type="button" className="button button-quiet rx-change" onClick={() => controller.clearDrug(line.key)}>
            {fr.rx.change}
          </button>
        </>
      )}
      {!drug && line.medication.trim() !== '' && !expanded && <p className="muted rx-hint">{fr.rx.freeTextHint}</p>}
      {errorText}
    </div>
  );
}
