import { useModalDialog } from '../../hooks/useModalDialog';
import { formatBirthDate, formatIns } from '../../format';
import { fr } from '../../i18n/fr';
import type { PatientSelection } from './controller';

/** Identity vigilance without INS: every candidate with its strict traits and status; the professional decides. */
export function PatientChoiceDialog({
  selection,
  onAnswer,
}: {
  selection: PatientSelection | null;
  onAnswer: (patientId: string | null) => void;
}) {
  const ref = useModalDialog(selection !== null);
  const l = selection?.launch;
  return (
    <dialog
      ref={ref}
      className="identity-check"
      aria-labelledby="patient-choice-title"
      aria-describedby="patient-choice-intro"
      data-testid="patient-choice"
      onCancel={(e) => {
        e.preventDefault();
        onAnswer(null);
      }}
    >
      {selection && l && (
        <>
          <h2 id="patient-choice-title" className="identity-check-title">
            {fr.choice.title}
          </h2>
          <p id="patient-choice-intro">{fr.choice.intro}</p>
          <p>
            <strong>{fr.choice.sent} : </strong>
            {l.birthName} {l.firstNames.join(' ')} · {formatBirthDate(l.birthDate)} · {fr.identity.sex[l.sex]}
            {l.birthPlace ? ` · ${l.birthPlace}` : ''}
          </p>
          <p className="muted">{fr.choice.count(selection.candidates.length)}</p>
          <table className="identity-check-table">
            <thead>
              <tr>
                <th scope="col">{fr.vigilance.fields.birthName}</th>
                <th scope="col">{fr.vigilance.fields.firstNames}</th>
                <th scope="col">{fr.vigilance.fields.birthDate}</th>
                <th scope="col">{fr.vigilance.fields.sex}</th>
                <th scope="col">{fr.vigilance.fields.birthPlace}</th>
                <th scope="col">{fr.vigilance.ins}</th>
                <th scope="col">
                  <span className="visually-hidden">{fr.choice.choose}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {selection.candidates.map((c) => (
                <tr key={c.id} data-testid="patient-candidate" data-patient-id={c.id}>
                  <td>{c.birthName}</td>
                  <td>{c.firstNames.join(' ')}</td>
                  <td>{formatBirthDate(c.birthDate)}</td>
                  <td>{fr.identity.sex[c.sex]}</td>
                  <td>{c.birthPlace ?? '—'}</td>
                  <td>
                    {c.ins ? formatIns(c.ins.value) : fr.identity.noIns}
                    <br />
                    <span className="muted">{fr.identity.status[c.identityStatus]}</span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      disabled={selection.answering}
                      aria-label={fr.choice.chooseLabel(`${c.birthName} ${c.firstNames[0] ?? ''}`)}
                      onClick={() => onAnswer(c.id)}
                    >
                      {fr.choice.choose}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="identity-check-actions">
            <button type="button" className="button button-quiet" disabled={selection.answering} onClick={() => onAnswer(null)} autoFocus>
              {fr.choice.none}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
