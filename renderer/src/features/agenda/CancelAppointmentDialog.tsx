import { useId, useState, type FormEvent } from 'react';
import type { Appointment, RelaisErrorShape } from '../../contract';
import { FormDialog } from '../../ui/FormDialog';
import { errorMessage, fr } from '../../i18n/fr';
import { fmtApptDay, fmtTime } from '../../ui/dates';
import { DialogPatient } from '../../ui/DialogPatient';

const t = fr.agenda;

/** Cancel an appointment: the reason is required (it goes to Appointment.cancelationReason). */
export function CancelAppointmentDialog({
  appointment,
  submitting,
  error,
  onCancel,
  onClose,
}: {
  appointment: Appointment | null;
  submitting: boolean;
  error: RelaisErrorShape | null;
  onCancel: (appointment: Appointment, reason: string) => Promise<boolean>;
  onClose: () => void;
}) {
  return (
    <FormDialog open={appointment !== null} testId="cancel-appointment-dialog" onClose={onClose}>
      {(titleId) =>
        appointment && (
          <CancelForm
            key={appointment.id}
            appointment={appointment}
            submitting={submitting}
            error={error}
            onCancel={onCancel}
            onClose={onClose}
            titleId={titleId}
          />
        )
      }
    </FormDialog>
  );
}

/** Mounted per opening, so the reason starts empty each time. */
function CancelForm({
  appointment,
  submitting,
  error,
  onCancel,
  onClose,
  titleId,
}: {
  appointment: Appointment;
  submitting: boolean;
  error: RelaisErrorShape | null;
  onCancel: (appointment: Appointment, reason: string) => Promise<boolean>;
  onClose: () => void;
  titleId: string;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setInvalid(true);
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    await onCancel(appointment, reason.trim());
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h2 id={titleId} className="agenda-dialog-title">
        {t.cancelTitle}
        <DialogPatient />
      </h2>
      <p className="agenda-dialog-context">
        {appointment.description} — {fmtApptDay(appointment.start)} {fmtTime(appointment.start)}
      </p>
      {error && (
        <p className="form-error form-error--block" role="alert">
          {error.code === 'CONFLICT' ? t.failed.conflict : errorMessage(error.code)}
        </p>
      )}
      <label className="form-field">
        <span>{t.reason}</span>
        <textarea
          id={`${id}-reason`}
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-reason-error` : undefined}
        />
        {invalid && (
          <p className="form-error" id={`${id}-reason-error`}>
            {t.required}
          </p>
        )}
      </label>
      <div className="agenda-dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose} disabled={submitting}>
          {t.back}
        </button>
        <button type="submit" className="button button-danger" disabled={submitting}>
          {submitting ? t.saving : t.submitCancel}
        </button>
      </div>
    </form>
  );
}
