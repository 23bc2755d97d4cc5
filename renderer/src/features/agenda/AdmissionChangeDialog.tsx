import { useId, useState, type FormEvent } from 'react';
import type { Admission, RelaisErrorShape } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { DialogPatient } from '../../ui/DialogPatient';
import { FormDialog } from '../../ui/FormDialog';

const t = fr.admissions;

/**
 * « Annuler la demande d'admission » / « Relancer l'établissement » (issue 15): a reason is
 * required; it goes to the establishment (Task note) and to the journal, which the whole team —
 * secretariat included — reads.
 */
export function AdmissionChangeDialog({
  change,
  submitting,
  error,
  onSubmit,
  onClose,
}: {
  change: { action: 'cancel' | 'remind'; admission: Admission } | null;
  submitting: boolean;
  error: RelaisErrorShape | null;
  onSubmit: (action: 'cancel' | 'remind', admission: Admission, reason: string) => Promise<boolean>;
  onClose: () => void;
}) {
  return (
    <FormDialog open={change !== null} testId="admission-change-dialog" onClose={onClose}>
      {(titleId) => change && <ChangeForm change={change} submitting={submitting} error={error} onSubmit={onSubmit} onClose={onClose} titleId={titleId} />}
    </FormDialog>
  );
}

function ChangeForm({
  change,
  submitting,
  error,
  onSubmit,
  onClose,
  titleId,
}: {
  change: { action: 'cancel' | 'remind'; admission: Admission };
  submitting: boolean;
  error: RelaisErrorShape | null;
  onSubmit: (action: 'cancel' | 'remind', admission: Admission, reason: string) => Promise<boolean>;
  onClose: () => void;
  titleId: string;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { action, admission } = change;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setInvalid(true);
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    await onSubmit(action, admission, reason.trim());
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h2 id={titleId} className="agenda-dialog-title">
        {action === 'cancel' ? t.cancelTitle : t.remindTitle}
        <DialogPatient />
      </h2>
      <p className="agenda-dialog-context">
        {admission.service ? `${admission.establishment} — ${admission.service}` : admission.establishment} · {t.priority[admission.priority]}
      </p>
      {error && (
        <p className="form-error form-error--block" role="alert">
          {errorMessage(error.code)}
        </p>
      )}
      <label className="form-field">
        <span>{action === 'cancel' ? t.cancelReason : t.remindReason}</span>
        <textarea
          id={`${id}-reason`}
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={`${id}-reason-hint${invalid ? ` ${id}-reason-error` : ''}`}
        />
        <span className="muted" id={`${id}-reason-hint`}>
          {t.changeReadBy}
        </span>
        {invalid && (
          <p className="form-error" id={`${id}-reason-error`}>
            {t.reasonRequired}
          </p>
        )}
      </label>
      <div className="agenda-dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose} disabled={submitting}>
          {t.back}
        </button>
        <button type="submit" className={`button ${action === 'cancel' ? 'button-danger' : 'button-primary'}`} disabled={submitting}>
          {submitting ? t.sending : action === 'cancel' ? t.submitCancel : t.submitRemind}
        </button>
      </div>
    </form>
  );
}
