import { useEffect, useRef } from 'react';
import { TRAIT_FIELDS, type TraitDiscrepancy } from '../contract';
import { formatBirthDate, formatIns } from '../format';
import { fr } from '../i18n/fr';
import type { IdentityCheck } from '../state/store';

function launchValue(check: IdentityCheck, field: TraitDiscrepancy['field']): string {
  const l = check.launch;
  switch (field) {
    case 'birthName':
      return l.birthName;
    case 'firstNames':
      return l.firstNames.join(' ');
    case 'birthDate':
      return formatBirthDate(l.birthDate);
    case 'sex':
      return fr.identity.sex[l.sex];
    case 'birthPlace':
      return l.birthPlace ?? '—';
  }
}

function platformValue(check: IdentityCheck, field: TraitDiscrepancy['field']): string {
  const p = check.patient;
  switch (field) {
    case 'birthName':
      return p.birthName;
    case 'firstNames':
      return p.firstNames.join(' ');
    case 'birthDate':
      return formatBirthDate(p.birthDate);
    case 'sex':
      return fr.identity.sex[p.sex];
    case 'birthPlace':
      return p.birthPlace ?? '—';
  }
}

/**
 * Identity vigilance (RNIV): both sets of strict traits side by side, the differing ones marked
 * in words as well as colour; nothing opens until the professional decides.
 */
export function IdentityConfirmDialog({ check, onAnswer }: { check: IdentityCheck | null; onAnswer: (confirmed: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (check && !dialog.open) dialog.showModal();
    if (!check && dialog.open) dialog.close();
  }, [check]);
  const differing = new Set(check?.discrepancies.map((d) => d.field));
  return (
    <dialog
      ref={ref}
      className="identity-check"
      role="alertdialog"
      aria-labelledby="identity-check-title"
      aria-describedby="identity-check-intro"
      data-testid="identity-confirmation"
      onCancel={(e) => {
        // Escape must not decide for the professional; it means "do not open".
        e.preventDefault();
        onAnswer(false);
      }}
    >
      {check && (
        <>
          <h2 id="identity-check-title" className="identity-check-title">
            {fr.vigilance.title}
          </h2>
          <p id="identity-check-intro">{fr.vigilance.intro}</p>
          <table className="identity-check-table">
            <thead>
              <tr>
                <th scope="col">{fr.vigilance.trait}</th>
                <th scope="col">{fr.vigilance.fromLgc}</th>
                <th scope="col">{fr.vigilance.fromPlatform}</th>
                <th scope="col">
                  <span className="visually-hidden">{fr.vigilance.differs}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{fr.vigilance.ins}</th>
                <td colSpan={2}>{check.patient.ins ? formatIns(check.patient.ins.value) : '—'}</td>
                <td>{fr.vigilance.same}</td>
              </tr>
              {TRAIT_FIELDS.map((field) => (
                <tr key={field} className={differing.has(field) ? 'is-different' : undefined} data-field={field}>
                  <th scope="row">{fr.vigilance.fields[field]}</th>
                  <td>{launchValue(check, field)}</td>
                  <td>{platformValue(check, field)}</td>
                  <td>{differing.has(field) ? <strong>≠ {fr.vigilance.differs}</strong> : fr.vigilance.same}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{fr.vigilance.audit}</p>
          <div className="identity-check-actions">
            <button type="button" className="button" disabled={check.answering} onClick={() => onAnswer(false)} autoFocus>
              {fr.vigilance.reject}
            </button>
            <button
              type="button"
              className="button button-quiet"
              disabled={check.answering}
              onClick={() => onAnswer(true)}
              data-testid="identity-confirm"
            >
              {fr.vigilance.confirm}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
