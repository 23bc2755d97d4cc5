import { useId, useState, type FormEvent } from 'react';
import { SUPPORT_ASKS, SUPPORT_CONSENT_BY, SUPPORT_REASONS, type RelaisErrorShape, type SupportAsk, type SupportReason, type SupportRequestContext, type SupportRequestCreateRequest } from '../../contract';
import { FormDialog } from '../../ui/FormDialog';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { errorMessage, fr } from '../../i18n/fr';
import { todayKey } from '../../ui/dates';

const t = fr.support;
type Field = 'reason' | 'asks' | 'consent' | 'stay' | 'onBehalfOf';

type Props = {
  open: boolean;
  context: SupportRequestContext | null;
  canWriteMedical: boolean;
  /** The secretary: « Pour le compte de » one of the care team's GPs. */
  onBehalf: boolean;
  submitting: boolean;
  error: RelaisErrorShape | null;
  onSubmit: (request: Omit<SupportRequestCreateRequest, 'patientId'>) => Promise<boolean>;
  onClose: () => void;
};

/**
 * « Demander l'appui de la cellule »: three required fields (why, what is asked, consent); the
 * rest is pre-filled (what is in place, from the care team and the treatments) or optional.
 */
export function SupportRequestDialog(props: Props) {
  return (
    <FormDialog open={props.open} testId="support-request-dialog" wide onClose={props.onClose}>
      {(titleId) => <SupportForm {...props} titleId={titleId} />}
    </FormDialog>
  );
}

function SupportForm({ context, canWriteMedical, onBehalf, submitting, error, onSubmit, onClose, titleId }: Props & { titleId: string }) {
  const id = useId();
  const [reason, setReason] = useState<SupportReason | ''>('');
  const [asks, setAsks] = useState<SupportAsk[]>([]);
  const [urgency, setUrgency] = useState<'routine' | 'urgent'>('routine');
  const [consent, setConsent] = useState(false);
  const [consentBy, setConsentBy] = useState<(typeof SUPPORT_CONSENT_BY)[number]>('patient');
  const [inPlace, setInPlace] = useState<string | null>(null);
  const [details, setDetails] = useState('');
  const [stayFrom, setStayFrom] = useState('');
  const [stayTo, setStayTo] = useState('');
  const [chosenGp, setGp] = useState('');
  // Pre-filled from what the core answers until the user types (the fields stay editable).
  const inPlaceValue = inPlace ?? context?.inPlace ?? '';
  const gp = chosenGp || (onBehalf ? (context?.physicians[0]?.id ?? '') : '');

  const serverField: Field | null = error?.field === 'stay' || error?.field === 'onBehalfOf' ? error.field : null;
  const { edited, fieldError, describe, errorText, accept } = useFieldErrors<Field>(id, { field: serverField, error });
  const stay = asks.includes('temporary-stay');

  const toggle = (a: SupportAsk) => {
    setAsks((v) => (v.includes(a) ? v.filter((x) => x !== a) : [...v, a]));
    edited('asks');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (!reason) problems.reason = t.required;
    if (asks.length === 0) problems.asks = t.askRequired;
    if (!consent) problems.consent = t.consentRequired;
    if (stay && (!stayFrom || !stayTo)) problems.stay = t.required;
    else if (stay && stayTo < stayFrom) problems.stay = t.stayInvalid;
    if (onBehalf && !gp) problems.onBehalfOf = t.required;
    if (!accept(problems, ['reason', 'asks', 'consent', 'stay', 'onBehalfOf']) || !reason) return;
    await onSubmit({
      reason,
      asks,
      consent: true,
      consentBy,
      urgency,
      ...(inPlaceValue.trim() ? { inPlace: inPlaceValue.trim() } : {}),
      ...(canWriteMedical && details.trim() ? { medicalDetails: details.trim() } : {}),
      ...(stay ? { stay: { from: stayFrom, to: stayTo } } : {}),
      ...(onBehalf && gp ? { onBehalfOf: gp } : {}),
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="support-form">
      <h2 id={titleId} className="agenda-dialog-title">
        {t.dialogTitle}
      </h2>
      <p className="support-form-to" data-testid="support-cell">
        {context ? (context.cell ? t.to(context.cell.name, context.cell.territory) : t.noCell) : fr.app.loading}
      </p>
      {error && !serverField && (
        <p className="form-error form-error--block" role="alert">
          {errorMessage(error.code)}
        </p>
      )}
      {onBehalf && (
        <label className="form-field">
          <span>{t.onBehalfOf}</span>
          <select id={`${id}-onBehalfOf`} value={gp} onChange={(e) => { setGp(e.target.value); edited('onBehalfOf'); }} aria-describedby={describe('onBehalfOf', `${id}-behalf-hint`)}>
            <option value="">{fr.agenda.choose}</option>
            {(context?.physicians ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <small id={`${id}-behalf-hint`} className="form-hint">
            {t.onBehalfOfHint}
          </small>
          {errorText('onBehalfOf')}
        </label>
      )}
      <label className="form-field">
        <span>{t.reason}</span>
        <select
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value as SupportReason);
            edited('reason');
          }}
          aria-invalid={!!fieldError('reason')}
          aria-describedby={describe('reason')}
        >
          <option value="">{fr.agenda.choose}</option>
          {SUPPORT_REASONS.map((r) => (
            <option key={r} value={r}>
              {t.reasons[r]}
            </option>
          ))}
        </select>
        {errorText('reason')}
      </label>
      <fieldset className="form-choice support-asks" id={`${id}-asks`} tabIndex={-1} aria-describedby={describe('asks')}>
        <legend>{t.asks}</legend>
        {SUPPORT_ASKS.map((a) => (
          <label key={a}>
            <input type="checkbox" checked={asks.includes(a)} onChange={() => toggle(a)} /> {t.askLabels[a]}
          </label>
        ))}
        {errorText('asks')}
      </fieldset>
      {stay && (
        <div className="form-row">
          <label className="form-field form-field--narrow">
            <span>{t.stayFrom}</span>
            <input id={`${id}-stay`} type="date" min={todayKey()} value={stayFrom} onChange={(e) => { setStayFrom(e.target.value); edited('stay'); }} aria-describedby={describe('stay')} />
          </label>
          <label className="form-field form-field--narrow">
            <span>{t.stayTo}</span>
            <input type="date" min={stayFrom || todayKey()} value={stayTo} onChange={(e) => { setStayTo(e.target.value); edited('stay'); }} />
          </label>
          {errorText('stay')}
        </div>
      )}
      <fieldset className="form-choice">
        <legend>{t.urgency}</legend>
        <label>
          <input type="radio" name={`${id}-urgency`} checked={urgency === 'routine'} onChange={() => setUrgency('routine')} /> {t.routine}
        </label>
        <label>
          <input type="radio" name={`${id}-urgency`} checked={urgency === 'urgent'} onChange={() => setUrgency('urgent')} /> {t.urgent}
        </label>
      </fieldset>
      <div className="form-field support-consent">
        <label>
          <input
            id={`${id}-consent`}
            type="checkbox"
            checked={consent}
            onChange={(e) => {
              setConsent(e.target.checked);
              edited('consent');
            }}
            aria-invalid={!!fieldError('consent')}
            aria-describedby={describe('consent')}
          />{' '}
          {t.consent}
        </label>
        <label className="support-consent-by">
          <span>{t.consentBy}</span>{' '}
          <select value={consentBy} onChange={(e) => setConsentBy(e.target.value as (typeof SUPPORT_CONSENT_BY)[number])}>
            {SUPPORT_CONSENT_BY.map((c) => (
              <option key={c} value={c}>
                {t.consentByLabels[c]}
              </option>
            ))}
          </select>
        </label>
        {errorText('consent')}
      </div>
      <label className="form-field">
        <span>{t.inPlace}</span>
        <textarea rows={2} maxLength={4000} value={inPlaceValue} onChange={(e) => setInPlace(e.target.value)} data-testid="support-in-place" />
      </label>
      {canWriteMedical && (
        <label className="form-field">
          <span>{t.medicalDetails}</span>
          <textarea rows={3} maxLength={20_000} value={details} onChange={(e) => setDetails(e.target.value)} aria-describedby={`${id}-details-hint`} />
          <small id={`${id}-details-hint`} className="form-hint">
            {t.medicalDetailsHint}
          </small>
        </label>
      )}
      <div className="agenda-dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose} disabled={submitting}>
          {t.back}
        </button>
        <button type="submit" className="button" disabled={submitting || !context?.cell}>
          {submitting ? t.sending : t.submit}
        </button>
      </div>
    </form>
  );
}
