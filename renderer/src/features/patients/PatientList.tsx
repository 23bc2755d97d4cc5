import { useCallback, useEffect, useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Patient } from '../../contract';
import { formatBirthDate, matchesPatient } from '../../format';
import { fr } from '../../i18n/fr';

interface Props {
  patients: Patient[] | null;
  loading: boolean;
  openingId: string | null;
  currentId: string | null;
  onOpen: (patient: Patient) => void;
  /** Shown after a patient's name (the unread count of « À traiter », issue 15). */
  badge?: (patient: Patient) => ReactNode;
  /** Above the search box (the « À traiter » button). */
  header?: ReactNode;
}

const collator = new Intl.Collator('fr-FR', { sensitivity: 'base' });

function byName(a: Patient, b: Patient): number {
  return (
    collator.compare(a.birthName, b.birthName) || collator.compare(a.firstNames.join(' '), b.firstNames.join(' '))
  );
}

/**
 * The professional's followed patients: a search box driving a listbox (ARIA 1.2 combobox
 * pattern: focus stays in the box, arrows move the active option, Enter opens it).
 */
export function PatientList({ patients, loading, openingId, currentId, onOpen, badge, header }: Props) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const baseId = useId();
  const listId = `${baseId}-list`;
  const inputId = `${baseId}-search`;
  const hintId = `${baseId}-hint`;

  const sorted = useMemo(() => (patients ? [...patients].sort(byName) : []), [patients]);
  const filtered = useMemo(() => sorted.filter((p) => matchesPatient(p, query)), [sorted, query]);
  // The cursor (the highlighted row) goes to the patient on screen when it changes (a launch from
  // the practice software) and when the list arrives: left on the first row, it highlighted another
  // patient than the one in the banner.
  const follow = `${currentId ?? ''}|${patients ? 'loaded' : ''}`;
  const [followed, setFollowed] = useState<string | null>(null);
  if (follow !== followed) {
    setFollowed(follow);
    const onScreen = currentId ? filtered.findIndex((p) => p.id === currentId) : -1;
    if (onScreen >= 0) setActive(onScreen);
  }
  const activeIndex = filtered.length === 0 ? -1 : Math.min(active, filtered.length - 1);
  const activePatient = activeIndex >= 0 ? filtered[activeIndex] : undefined;
  const optionId = (p: Patient) => `${baseId}-opt-${p.id}`;

  const showActive = useCallback(() => {
    if (activePatient) document.getElementById(`${baseId}-opt-${activePatient.id}`)?.scrollIntoView({ block: 'nearest' });
  }, [activePatient, baseId]);
  useEffect(showActive, [showActive]);

  function open(p: Patient | undefined) {
    if (p && p.ins && openingId === null) onOpen(p);
  }

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    const last = filtered.length - 1;
    switch (e.key) {
      case 'ArrowDown':
        setActive(Math.min(last, activeIndex + 1));
        break;
      case 'ArrowUp':
        setActive(Math.max(0, activeIndex - 1));
        break;
      case 'PageDown':
        setActive(Math.min(last, activeIndex + 10));
        break;
      case 'PageUp':
        setActive(Math.max(0, activeIndex - 10));
        break;
      case 'Enter':
        open(activePatient);
        break;
      case 'Escape':
        if (query === '') return;
        setQuery('');
        setActive(0);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  return (
    <div className="patients">
      {header}
      <h2 className="section-title">{fr.patients.heading}</h2>
      <label className="search-label" htmlFor={inputId}>
        {fr.patients.searchLabel}
      </label>
      <input
        id={inputId}
        className="search-input"
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder={fr.patients.searchPlaceholder}
        aria-expanded={filtered.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-describedby={hintId}
        aria-activedescendant={activePatient ? optionId(activePatient) : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        // In the drawer the list was hidden when the cursor moved: shown, it scrolls to it.
        onFocus={showActive}
      />
      <p id={hintId} className="hint">
        {fr.patients.keyboardHint}
        {patients && <span className="patients-count"> · {fr.patients.count(filtered.length)}</span>}
      </p>
      <div className="patient-list" data-testid="patient-list">
        {patients === null ? (
          <p className="muted">{loading ? fr.app.loading : fr.patients.empty}</p>
        ) : filtered.length === 0 ? (
          <p className="muted">{query ? fr.patients.noMatch(query) : fr.patients.empty}</p>
        ) : (
          <ul
            id={listId}
            role="listbox"
            className="patient-listbox"
            aria-label={fr.patients.listLabel}
            tabIndex={0}
            aria-activedescendant={activePatient ? optionId(activePatient) : undefined}
            onKeyDown={onKeyDown}
          >
            {filtered.map((p, i) => {
              const disabled = p.ins === null;
              const classes = ['patient-option'];
              if (i === activeIndex) classes.push('is-active');
              if (p.id === currentId) classes.push('is-current');
              if (disabled) classes.push('is-disabled');
              return (
                <li
                  key={p.id}
                  id={optionId(p)}
                  role="option"
                  className={classes.join(' ')}
                  aria-selected={i === activeIndex}
                  aria-disabled={disabled || undefined}
                  aria-current={p.id === currentId ? 'true' : undefined}
                  data-patient-id={p.id}
                  onClick={() => {
                    setActive(i);
                    open(p);
                  }}
                >
                  <span className="patient-option-name">
                    <span className="birth-name">{p.birthName.toLocaleUpperCase('fr-FR')}</span>{' '}
                    {p.firstNames[0]}
                    {badge?.(p)}
                  </span>
                  <span className="patient-option-meta">
                    {formatBirthDate(p.birthDate)} · {fr.identity.sex[p.sex]} · {fr.identity.status[p.identityStatus]}
                  </span>
                  {disabled && <span className="patient-option-note">{fr.patients.noIns}</span>}
                  {openingId === p.id && <span className="patient-option-note">{fr.patients.opening}</span>}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
