import { useId, useState, type FormEvent } from 'react';
import {
  type AdmissionPriority,
  type AdmissionRequest,
  type Establishment,
  type RelaisErrorShape,
} from '../../contract';
import { FormDialog } from '../../ui/FormDialog';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useAttachments } from '../../hooks/useAttachments';
import { errorMessage, fr } from '../../i18n/fr';
import { todayKey } from '../../ui/dates';
import { DateInput } from '../../ui/DateInput';
import { DialogPatient } from '../../ui/DialogPatient';

const t = fr.admissions;
const OTHER = '__other__';
type Field = 'establishment' | 'establishmentText' | 'desiredDate' | 'motive';

/**
 * « Demande d'admission »: the administrative fields a secretary fills (establishment, service,
 * programmed or emergency, desired date, motive, documents) and, for a health professional, the
 * clinical summary. What was typed stays in the form until the outbox has accepted it.
 */
type Props = {
  open: boolean;
  establishments: Establishment[] | null;
  /** journal.read-medical: the clinical summary is a medical entry. */
  canWriteClinical: boolean;
  submitting: boolean;
  error: RelaisErrorShape | null;
  onSubmit: (request: Omit<AdmissionRequest, 'patientId' | 'replaces'>) => Promise<boolean>;
  onClose: () => void;
  /** « Modifier » on a refused request: the fields start from what was typed (a notice says it replaces it). */
  initial?: Omit<AdmissionRequest, 'patientId' | 'replaces'> | null;
};

export function AdmissionDialog(props: Props) {
  return (
    <FormDialog open={props.open} testId="admission-dialog" wide onClose={props.onClose}>
      {(titleId) => <AdmissionForm {...props} titleId={titleId} />}
    </FormDialog>
  );
}

function AdmissionForm({
  establishments,
  canWriteClinical,
  submitting,
  error,
  onSubmit,
  onClose,
  titleId,
  initial,
}: Props & { titleId: string }) {
  const id = useId();
  const place = initial?.establishment;
  const [establishment, setEstablishment] = useState(place ? (place.kind === 'organization' ? place.organizationId : OTHER) : '');
  const [establishmentText, setEstablishmentText] = useState(place?.kind === 'free-text' ? place.text : '');
  const [service, setService] = useState(initial?.service ?? '');
  const [priority, setPriority] = useState<AdmissionPriority>(initial?.priority ?? 'routine');
  const [desiredDate, setDesiredDate] = useState(initial?.desiredDate ?? '');
  const [motive, setMotive] = useState(initial?.motive ?? '');
  const [summary, setSummary] = useState(initial?.clinicalSummary ?? '');
  const [homeReturn, setHomeReturn] = useState(initial?.homeReturnSupport ?? false);
  const { input: fileInput, files, notice, add: addFiles, remove: removeFile } = useAttachments(t, initial?.attachments);

  const serverField: Field | null =
    error?.field === 'establishment'
      ? 'establishment'
      : error?.field === 'desiredDate'
        ? 'desiredDate'
        : error?.field === 'motive'
          ? 'motive'
          : null;
  const { edited, fieldError, describe, errorText, accept } = useFieldErrors<Field>(id, { field: serverField, error });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (!establishment) problems.establishment = fr.agenda.required;
    if (establishment === OTHER && !establishmentText.trim()) problems.establishmentText = fr.agenda.required;
    if (!desiredDate) problems.desiredDate = fr.agenda.required;
    else if (desiredDate < todayKey()) problems.desiredDate = t.pastDate;
    if (!motive.trim()) problems.motive = fr.agenda.required;
    if (!accept(problems, ['establishment', 'establishmentText', 'desiredDate', 'motive'])) return;
    await onSubmit({
      establishment:
        establishment === OTHER
          ? { kind: 'free-text', text: establishmentText.trim() }
          : { kind: 'organization', organizationId: establishment },
      ...(service.trim() ? { service: service.trim() } : {}),
      priority,
      desiredDate,
      motive: motive.trim(),
      ...(canWriteClinical && summary.trim() ? { clinicalSummary: summary.trim() } : {}),
      homeReturnSupport: homeReturn,
      ...(files.length > 0
        ? { attachments: files.map(({ contentType, title, dataBase64 }) => ({ contentType, title, dataBase64 })) }
        : {}),
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h2 id={titleId} className="agenda-dialog-title">
        {t.dialogTitle}
        <DialogPatient />
      </h2>
      {initial && (
        <p className="form-notice" role="note" data-testid="refused-edit-notice">
          {fr.refusedEdit.request}
        </p>
      )}
      {error && !serverField && (
        <p className="form-error form-error--block" role="alert">
          {errorMessage(error.code)}
        </p>
      )}
      <fieldset className="form-choice">
        <legend>{t.kind}</legend>
        <label>
          <input
            type="radio"
            name={`${id}-priority`}
            value="routine"
            checked={priority === 'routine'}
            onChange={() => setPriority('routine')}
          />{' '}
          {t.routine}
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-priority`}
            value="urgent"
            checked={priority === 'urgent'}
            onChange={() => setPriority('urgent')}
          />{' '}
          {t.urgent}
        </label>
        <strong className="admission-emergency" role="note" data-testid="admission-emergency">
          {fr.safety.admission.emergency}
        </strong>
      </fieldset>
      <div className="form-row">
        <label className="form-field form-field--grow">
          <span>{t.establishment}</span>
          <select
            id={`${id}-establishment`}
            value={establishment}
            onChange={(e) => {
              setEstablishment(e.target.value);
              edited('establishment');
            }}
            aria-invalid={!!fieldError('establishment')}
            aria-describedby={describe('establishment')}
          >
            <option value="">{establishments ? fr.agenda.choose : fr.app.loading}</option>
            {(establishments ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.city && !x.name.includes(x.city) ? `${x.name} (${x.city})` : x.name}
              </option>
            ))}
            <option value={OTHER}>{t.otherEstablishment}</option>
          </select>
          {errorText('establishment')}
        </label>
        <label className="form-field">
          <span>{t.service}</span>
          <input
            type="text"
            value={service}
            maxLength={200}
            placeholder={t.servicePlaceholder}
            onChange={(e) => setService(e.target.value)}
          />
        </label>
      </div>
      {establishment === OTHER && (
        <label className="form-field">
          <span>{t.establishmentText}</span>
          <input
            id={`${id}-establishmentText`}
            type="text"
            value={establishmentText}
            maxLength={200}
            onChange={(e) => {
              setEstablishmentText(e.target.value);
              edited('establishmentText');
            }}
            aria-invalid={!!fieldError('establishmentText')}
            aria-describedby={describe('establishmentText')}
          />
          {errorText('establishmentText')}
        </label>
      )}
      <label className="form-field form-field--narrow">
        <span>{t.desiredDate}</span>
        <DateInput
          id={`${id}-desiredDate`}
          value={desiredDate}
          onChange={(iso) => {
            setDesiredDate(iso);
            edited('desiredDate');
          }}
          aria-invalid={!!fieldError('desiredDate')}
          aria-describedby={describe('desiredDate')}
        />
        {errorText('desiredDate')}
      </label>
      <label className="form-field">
        <span>{t.motive}</span>
        <textarea
          id={`${id}-motive`}
          rows={2}
          maxLength={1000}
          value={motive}
          onChange={(e) => {
            setMotive(e.target.value);
            edited('motive');
          }}
          aria-invalid={!!fieldError('motive')}
          aria-describedby={[describe('motive'), `${id}-motive-readers`].filter(Boolean).join(' ')}
        />
        {errorText('motive')}
      </label>
      {/* Outside the label: the warning describes the field, it is not its name. */}
      <p className="admission-motive-readers" id={`${id}-motive-readers`} data-testid="admission-motive-readers">
        {fr.safety.admission.motiveWarning}
      </p>
      {canWriteClinical && (
        <label className="form-field">
          <span>{t.clinicalSummary}</span>
          <textarea
            rows={4}
            maxLength={20_000}
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            aria-describedby={`${id}-summary-hint`}
          />
          <small id={`${id}-summary-hint`} className="form-hint">
            {t.clinicalSummaryHint}
          </small>
        </label>
      )}
      <label className="form-check">
        <input type="checkbox" checked={homeReturn} onChange={(e) => setHomeReturn(e.target.checked)} /> {t.homeReturn}
      </label>
      <div className="form-field">
        <span>{t.documents}</span>
        <div className="form-files">
          <button type="button" className="button button-small button-quiet" onClick={() => fileInput.current?.click()}>
            {t.addDocuments}
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            aria-label={t.addDocuments}
            data-testid="admission-files"
            onChange={(e) => void addFiles(e.target.files)}
          />
          {files.map((f, i) => (
            <span key={`${f.title}-${i}`} className="form-file">
              {f.title}
              <button
                type="button"
                className="button-icon"
                aria-label={t.removeDocument(f.title)}
                onClick={() => removeFile(i)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
        {notice && <p className="form-error">{notice}</p>}
      </div>
      <div className="agenda-dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose} disabled={submitting}>
          {fr.agenda.back}
        </button>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t.sending : t.submit}
        </button>
      </div>
    </form>
  );
}
