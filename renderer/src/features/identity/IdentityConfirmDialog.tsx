import { useModalDialog } from '../../hooks/useModalDialog';
import { TRAIT_FIELDS, type StrictTraits, type TraitDiscrepancy } from '../../contract';
import { formatBirthDate, formatIns } from '../../format';
import { fr } from '../../i18n/fr';
import type { IdentityCheck } from './controller';

/** One strict trait as the GP reads it, from either side (both carry the same strict traits). */
function traitValue(traits: StrictTraits, field: TraitDiscrepancy['field']): string {
  switch (field) {
    case 'birthName':
      return traits.birthName;
    case 'firstNames':
      return traits.firstNames.join(' ');
    case 'birthDate':
      return formatBirthDate(traits.birthDate);
    case 'sex':
      return fr.identity.sex[traits.sex];
    case 'birthPlace':
      return traits.birthPlace ?? '—';
  }
}

/**
 * Identity vigilance (RNIV): both sets of strict traits side by side, the differing ones marked
 * in words as well as colour; nothing opens until the professional decides.
 */
export function IdentityConfirmDialog({ check, onAnswer }: { check: IdentityCheck | null; onAnswer: (confirmed: boolean) => void }) {
  const ref = useModalDialog(check !== null);
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
                  <td>{traitValue(check.launch, field)}</td>
                  <td>{traitValue(check.patient, field)}</td>
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
