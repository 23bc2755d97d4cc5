import { useId, useState, type FormEvent } from 'react';
import type { Appointment, AppointmentWith, CareTeamMember, RelaisErrorShape } from '../../contract';
import { FormDialog } from '../../ui/FormDialog';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { errorMessage, fr } from '../../i18n/fr';
import type { AgendaDialog } from './controller';
import { fmtApptDay, fmtTime } from '../../ui/dates';
import { localInstant, minutesBetween, splitLocal } from './local-time';
import { DateInput } from '../../ui/DateInput';
import { DialogPatient } from '../../ui/DialogPatient';

const t = fr.agenda;
const DURATIONS = [10, 15, 20, 30, 45, 60, 90, 120];
const PLACE = '__place__';

type Field = 'day' | 'time' | 'with' | 'place' | 'motive';

/**
 * Book or move an appointment. A native modal <dialog> (focus trapped, Escape closes); the form
 * keeps what was typed when the core refuses it, and says beside the field what is wrong.
 */
type Props = {
  dialog: Extract<AgendaDialog, { kind: 'book' | 'reschedule' }> | null;
  careTeam: readonly CareTeamMember[];
  submitting: boolean;
  error: RelaisErrorShape | null;
  onBook: (request: {
    start: string;
    durationMinutes: number;
    with: AppointmentWith;
    motive: string;
  }) => Promise<boolean>;
  onReschedule: (appointment: Appointment, start: string, durationMinutes: number) => Promise<boolean>;
  onClose: () => void;
};

export function AppointmentDialog(props: Props) {
  const { dialog, onClose } = props;
  // The form is mounted per opening: its fields start from what the dialog brings (a resumed change, the current time).
  const key = dialog
    ? `${dialog.kind}-${dialog.kind === 'reschedule' ? dialog.appointment.id : ''}-${dialog.fromClientId ?? ''}`
    : 'closed';
  return (
    <FormDialog open={dialog !== null} testId="appointment-dialog" onClose={onClose}>
      {(titleId) => dialog && <AppointmentForm key={key} {...props} dialog={dialog} titleId={titleId} />}
    </FormDialog>
  );
}

function AppointmentForm({
  dialog,
  careTeam,
  submitting,
  error,
  onBook,
  onReschedule,
  onClose,
  titleId,
}: Props & { dialog: NonNullable<Props['dialog']>; titleId: string }) {
  const id = useId();
  const moving = dialog.kind === 'reschedule' ? dialog.appointment : null;
  const initial = dialog.initial ?? {};
  const initialStart = initial.start ?? (moving ? moving.start : null);
  const split = initialStart ? splitLocal(initialStart) : { day: '', time: '' };
  const initialWith = dialog.kind === 'book' ? dialog.initial?.with : undefined;
  const [day, setDay] = useState(split.day);
  const [time, setTime] = useState(split.time);
  const [duration, setDuration] = useState(
    initial.durationMinutes ?? (moving ? (minutesBetween(moving.start, moving.end) ?? 30) : 30),
  );
  const [withWhom, setWithWhom] = useState(
    initialWith ? (initialWith.kind === 'care-team' ? initialWith.memberId : PLACE) : '',
  );
  const [place, setPlace] = useState(initialWith?.kind === 'place' ? initialWith.text : '');
  const [motive, setMotive] = useState(dialog.kind === 'book' ? (dialog.initial?.motive ?? '') : '');

  const serverField =
    error?.field === 'start' ? 'day' : error?.field === 'with' ? 'with' : error?.field === 'motive' ? 'motive' : null;
  const { edited, fieldError, describe, errorText, accept } = useFieldErrors<Field>(id, { field: serverField, error });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (!day) problems.day = t.required;
    if (!time) problems.time = t.required;
    if (day && time && Date.parse(localInstant(day, time)) < Date.now()) problems.day = t.pastStart;
    if (!moving) {
      if (!withWhom) problems.with = t.required;
      if (withWhom === PLACE && !place.trim()) problems.place = t.required;
      if (!motive.trim()) problems.motive = t.required;
    }
    if (!accept(problems, ['day', 'time', 'with', 'place', 'motive'])) return;
    const start = localInstant(day, time);
    if (moving) await onReschedule(moving, start, duration);
    else
      await onBook({
        start,
        durationMinutes: duration,
        with: withWhom === PLACE ? { kind: 'place', text: place.trim() } : { kind: 'care-team', memberId: withWhom },
        motive: motive.trim(),
      });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h2 id={titleId} className="agenda-dialog-title">
        {moving ? t.rescheduleTitle : t.bookTitle}
        <DialogPatient />
      </h2>
      {moving && (
        <p className="agenda-dialog-context">
          {moving.description} — {t.current(`${fmtApptDay(moving.start)} ${fmtTime(moving.start)}`)}
        </p>
      )}
      {error && !serverField && (
        <p className="form-error form-error--block" role="alert">
          {error.code === 'CONFLICT' ? t.failed.conflict : errorMessage(error.code)}
        </p>
      )}
      <div className="form-row">
        <label className="form-field">
          <span>{t.date}</span>
          <DateInput
            id={`${id}-day`}
            value={day}
            onChange={(iso) => {
              setDay(iso);
              edited('day');
            }}
            required
            aria-invalid={!!fieldError('day')}
            aria-describedby={describe('day')}
          />
          {errorText('day')}
        </label>
        <label className="form-field">
          <span>{t.time}</span>
          <input
            id={`${id}-time`}
            type="time"
            step={300}
            value={time}
            onChange={(e) => {
              setTime(e.target.value);
              edited('time');
            }}
            required
            aria-invalid={!!fieldError('time')}
            aria-describedby={describe('time')}
          />
          {errorText('time')}
        </label>
        <label className="form-field">
          <span>{t.duration}</span>
          <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
            {[...new Set([...DURATIONS, duration])]
              .sort((a, b) => a - b)
              .map((m) => (
                <option key={m} value={m}>
                  {t.minutes(m)}
                </option>
              ))}
          </select>
        </label>
      </div>
      {!moving && (
        <>
          <label className="form-field">
            <span>{t.with}</span>
            <select
              id={`${id}-with`}
              value={withWhom}
              onChange={(e) => {
                setWithWhom(e.target.value);
                edited('with');
              }}
              required
              aria-invalid={!!fieldError('with')}
              aria-describedby={describe('with')}
            >
              <option value="">{t.choose}</option>
              {careTeam.map((m) => (
                <option key={m.id} value={m.id}>
                  {t.member(m.name, m.roleLabel)}
                </option>
              ))}
              <option value={PLACE}>{t.withPlace}</option>
            </select>
            {errorText('with')}
          </label>
          {withWhom === PLACE && (
            <label className="form-field">
              <span>{t.placeText}</span>
              <input
                id={`${id}-place`}
                type="text"
                value={place}
                maxLength={200}
                placeholder={t.placeHint}
                onChange={(e) => {
                  setPlace(e.target.value);
                  edited('place');
                }}
                aria-invalid={!!fieldError('place')}
                aria-describedby={describe('place')}
              />
              {errorText('place')}
            </label>
          )}
          <label className="form-field">
            <span>{t.motive}</span>
            <input
              id={`${id}-motive`}
              type="text"
              value={motive}
              maxLength={500}
              onChange={(e) => {
                setMotive(e.target.value);
                edited('motive');
              }}
              aria-invalid={!!fieldError('motive')}
              aria-describedby={describe('motive')}
            />
            {errorText('motive')}
          </label>
        </>
      )}
      <div className="agenda-dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose} disabled={submitting}>
          {t.back}
        </button>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t.saving : moving ? t.submitMove : t.submitBook}
        </button>
      </div>
    </form>
  );
}
