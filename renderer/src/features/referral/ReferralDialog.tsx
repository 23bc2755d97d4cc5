import { useId, useState, type FormEvent } from 'react';
import {
  type CareTeamMember,
  type ReferralRecipient,
  type ReferralRecipientRef,
  type ReferralUrgency,
  type RelaisErrorShape,
} from '../../contract';
import { FormDialog } from '../../ui/FormDialog';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useAttachments } from '../../hooks/useAttachments';
import { errorMessage, fr } from '../../i18n/fr';
import { todayKey } from '../../ui/dates';
import { DateInput } from '../../ui/DateInput';
import { DialogPatient } from '../../ui/DialogPatient';
import type { ReferralForm as TypedReferral } from './controller';

const t = fr.referrals;
type Field = 'recipient' | 'reason' | 'desiredDate';

/** `care-team:role-x`, `organization:org-y`, `practitioner:role-z` ↔ the request's recipient. */
function recipientOf(value: string): ReferralRecipientRef | null {
  const i = value.indexOf(':');
  const kind = value.slice(0, i);
  const id = value.slice(i + 1);
  if (!id) return null;
  if (kind === 'care-team') return { kind: 'care-team', memberId: id };
  if (kind === 'organization') return { kind: 'organization', organizationId: id };
  if (kind === 'practitioner') return { kind: 'practitioner', roleId: id };
  return null;
}

type Props = {
  open: boolean;
  careTeam: readonly CareTeamMember[];
  recipients: ReferralRecipient[] | null;
  /** journal.read-medical: the clinical context is a medical entry. */
  canWriteClinical: boolean;
  submitting: boolean;
  error: RelaisErrorShape | null;
  onSubmit: (request: TypedReferral) => Promise<boolean>;
  onClose: () => void;
  /** « Modifier » on a refused referral: the fields start from what was typed (and a notice says it replaces it). */
  initial?: TypedReferral | null;
};

/** The select's value for a recipient of the request (inverse of recipientOf). */
function recipientValue(r: ReferralRecipientRef): string {
  if (r.kind === 'care-team') return `care-team:${r.memberId}`;
  if (r.kind === 'organization') return `organization:${r.organizationId}`;
  return `practitioner:${r.roleId}`;
}

/**
 * « Adresser le patient »: to whom (care team first, then the territory's services and
 * professionals), reason, urgency, expected action, desired date, clinical context (medical) and
 * documents. What was typed stays in the form until the outbox has accepted it.
 */
export function ReferralDialog(props: Props) {
  return (
    <FormDialog open={props.open} testId="referral-dialog" wide onClose={props.onClose}>
      {(titleId) => <ReferralForm {...props} titleId={titleId} />}
    </FormDialog>
  );
}

function ReferralForm({ careTeam, recipients, canWriteClinical, submitting, error, onSubmit, onClose, titleId, initial }: Props & { titleId: string }) {
  const id = useId();
  const [recipient, setRecipient] = useState(initial ? recipientValue(initial.recipient) : '');
  const [urgency, setUrgency] = useState<ReferralUrgency>(initial?.urgency ?? 'routine');
  const [reason, setReason] = useState(initial?.reason ?? '');
  const [expectedAction, setExpectedAction] = useState(initial?.expectedAction ?? '');
  const [desiredDate, setDesiredDate] = useState(initial?.desiredDate ?? '');
  const [context, setContext] = useState(initial?.clinicalContext ?? '');
  const { input: fileInput, files, notice, add: addFiles, remove: removeFile } = useAttachments(t, initial?.attachments);

  // A professional already in the care team is offered once, in the care team group.
  const inTeam = new Set(careTeam.map((m) => m.id));
  const services = (recipients ?? []).filter((r) => r.kind === 'organization');
  const professionals = (recipients ?? []).filter((r) => r.kind === 'practitioner' && !inTeam.has(r.id));

  const serverField: Field | null = error?.field === 'recipient' || error?.field === 'reason' || error?.field === 'desiredDate' ? error.field : null;
  const { edited, fieldError, describe, errorText, accept } = useFieldErrors<Field>(id, { field: serverField, error });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    const to = recipientOf(recipient);
    if (!to) problems.recipient = fr.agenda.required;
    if (!reason.trim()) problems.reason = fr.agenda.required;
    if (desiredDate && desiredDate < todayKey()) problems.desiredDate = t.pastDate;
    if (!accept(problems, ['recipient', 'reason', 'desiredDate']) || !to) return;
    await onSubmit({
      recipient: to,
      reason: reason.trim(),
      urgency,
      ...(expectedAction.trim() ? { expectedAction: expectedAction.trim() } : {}),
      ...(desiredDate ? { desiredDate } : {}),
      ...(canWriteClinical && context.trim() ? { clinicalContext: context.trim() } : {}),
      ...(files.length > 0 ? { attachments: files.map(({ contentType, title, dataBase64 }) => ({ contentType, title, dataBase64 })) } : {}),
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
      <label className="form-field">
        <span>{t.recipient}</span>
        <select
          id={`${id}-recipient`}
          value={recipient}
          onChange={(e) => {
            setRecipient(e.target.value);
            edited('recipient');
          }}
          aria-invalid={!!fieldError('recipient')}
          aria-describedby={describe('recipient')}
          data-testid="referral-recipient"
        >
          <option value="">{recipients ? fr.agenda.choose : fr.app.loading}</option>
          {careTeam.length > 0 && (
            <optgroup label={t.careTeamGroup}>
              {careTeam.map((m) => (
                <option key={m.id} value={`care-team:${m.id}`}>
                  {`${m.name} — ${m.roleLabel}`}
                </option>
              ))}
            </optgroup>
          )}
          {services.length > 0 && (
            <optgroup label={t.servicesGroup}>
              {services.map((r) => (
                <option key={r.id} value={`organization:${r.id}`}>
                  {r.detail ? `${r.name} (${r.detail})` : r.name}
                </option>
              ))}
            </optgroup>
          )}
          {professionals.length > 0 && (
            <optgroup label={t.professionalsGroup}>
              {professionals.map((r) => (
                <option key={r.id} value={`practitioner:${r.id}`}>
                  {r.detail ? `${r.name} — ${r.detail}` : r.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {errorText('recipient')}
      </label>
      <fieldset className="form-choice">
        <legend>{t.urgency}</legend>
        <label>
          <input type="radio" name={`${id}-urgency`} value="routine" checked={urgency === 'routine'} onChange={() => setUrgency('routine')} /> {t.routine}
        </label>
        <label>
          <input type="radio" name={`${id}-urgency`} value="urgent" checked={urgency === 'urgent'} onChange={() => setUrgency('urgent')} /> {t.urgent}
        </label>
      </fieldset>
      <label className="form-field">
        <span>{t.reason}</span>
        <textarea
          id={`${id}-reason`}
          rows={2}
          maxLength={1000}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            edited('reason');
          }}
          aria-invalid={!!fieldError('reason')}
          aria-describedby={describe('reason', `${id}-reason-hint`)}
        />
        <small id={`${id}-reason-hint`} className="form-hint">
          {t.reasonHint}
        </small>
        {errorText('reason')}
      </label>
      <div className="form-row">
        <label className="form-field form-field--grow">
          <span>{t.expectedAction}</span>
          <input type="text" value={expectedAction} maxLength={1000} placeholder={t.expectedActionPlaceholder} onChange={(e) => setExpectedAction(e.target.value)} />
        </label>
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
      </div>
      {canWriteClinical && (
        <label className="form-field">
          <span>{t.clinicalContext}</span>
          <textarea rows={4} maxLength={20_000} value={context} onChange={(e) => setContext(e.target.value)} aria-describedby={`${id}-context-hint`} />
          <small id={`${id}-context-hint`} className="form-hint">
            {t.clinicalContextHint}
          </small>
        </label>
      )}
      <div className="form-field">
        <span>{t.documents}</span>
        <div className="form-files">
          <button type="button" className="button button-small button-quiet" onClick={() => fileInput.current?.click()}>
            {t.addDocuments}
          </button>
          <input ref={fileInput} type="file" multiple hidden aria-label={t.addDocuments} data-testid="referral-files" onChange={(e) => void addFiles(e.target.files)} />
          {files.map((f, i) => (
            <span key={`${f.title}-${i}`} className="form-file">
              {f.title}
              <button type="button" className="button-icon" aria-label={t.removeDocument(f.title)} onClick={() => removeFile(i)}>
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
