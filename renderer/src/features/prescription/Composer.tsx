import { useEffect, useId, useRef, useSyncExternalStore } from 'react';
import { toCardinal } from 'n2words/fr-FR';
import {
  DOSE_UNITS,
  MOMENTS,
  NON_SUBSTITUTABLE_REASONS,
  NUMBER_FIELD_MAX,
  posologySentence,
  TEXT_FIELD_MAX,
  type LineRuleCode,
  type NonSubstitutableReason,
  type Patient,
  type PrescriptionDraftLine,
  type PrescriptionFieldError,
} from '../../contract';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { errorMessage, fr } from '../../i18n/fr';
import { FormDialog } from '../../ui/FormDialog';
import type { PrescriptionController, PrescriptionViewState } from './controller';
import { IdentityBanner } from '../identity/IdentityBanner';
import { DrugField } from './DrugField';
import { PatientSide } from './PatientSide';
import { sendLabel, signatureNote, SignWithCard } from './SignWithCard';
import { DialogPatient } from '../../ui/DialogPatient';

/** Fields of a line in form order (focus on the first wrong one). */
const LINE_FIELDS = ['medication', 'dose', 'doseUnit', 'perDay', 'posology', 'route', 'durationDays', 'packs', 'renewals', 'nonSubstitutable', 'instructions'] as const;
type TextField = 'posology' | 'route' | 'durationDays' | 'packs' | 'renewals' | 'instructions' | 'dose' | 'doseUnit' | 'perDay';
/** A field of the form as `useFieldErrors` names it: `weight`, or `<line key>-<field>`. */
type FieldKey = string;

/** « Ordonnance » beside the identity banner; rendered only when the role may prescribe. */
export function PrescriptionButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button type="button" className="button prescription-open" title={fr.prescription.openHint} onClick={onOpen} data-testid="prescription-open">
      {fr.prescription.open}
    </button>
  );
}

const RULE_CODES = new Set<string>(Object.keys(fr.rx.errors));
const messageOf = (e: PrescriptionFieldError): string => {
  if (e.code === 'structured-required') return fr.rx.structuredRequired;
  if (RULE_CODES.has(e.code)) {
    const base = fr.rx.errors[e.code as LineRuleCode];
    return e.code === 'duration-limit' && e.limit ? `${base}${fr.rx.limitSuffix(e.limit)}` : base;
  }
  return fr.prescription.errors[e.code] ?? e.code;
};

/** The controller's complaints (`lines.0.posology`, `weightKg`) keyed by the form's field names. */
function complaintsOf(errors: readonly PrescriptionFieldError[], lines: readonly PrescriptionDraftLine[]): Record<FieldKey, string> {
  const out: Record<FieldKey, string> = {};
  for (const e of errors) {
    if (e.field === 'weightKg') out.weight ??= messageOf(e);
    const m = /^lines\.(\d+)\.(\w+)$/.exec(e.field);
    const line = m ? lines[Number(m[1])] : undefined;
    if (m && line) out[`${line.key}-${m[2]}`] ??= messageOf(e);
  }
  return out;
}

const fieldOrder = (lines: readonly PrescriptionDraftLine[]): FieldKey[] => ['weight', ...lines.flatMap((l) => LINE_FIELDS.map((f) => `${l.key}-${f}`))];

/** The sentence the ordonnance will print, as the GP fills the structured fields (words on a secure line). */
function sentencePreview(line: PrescriptionDraftLine): string | null {
  const dose = Number(line.dose.trim().replace(',', '.'));
  if (!line.dose.trim() || !Number.isFinite(dose) || dose <= 0 || !line.doseUnit.trim()) return null;
  const perDay = line.perDay.trim() ? Number(line.perDay) : null;
  const duration = line.durationDays.trim() ? Number(line.durationDays) : null;
  const words = line.drug?.rules.secure ? (n: number) => toCardinal(n) : undefined;
  return posologySentence(
    { dose, unit: line.doseUnit.trim(), perDay: perDay !== null && Number.isInteger(perDay) ? perDay : null, moments: line.moments },
    duration !== null && Number.isInteger(duration) && duration > 0 ? duration : null,
    words,
  );
}

/**
 * The e-prescription composer (modal): the patient's identity on top, the lines (drug from the
 * BDPM or free text, structured posology, rules of the drug), the patient's allergies and current
 * treatments beside them, the preview (« Aperçu — non valable »), then « Imprimer pour signature ».
 * Closing (Escape, « Fermer ») keeps the draft.
 */
export function PrescriptionComposer({ controller }: { controller: PrescriptionController }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  return (
    <FormDialog open={state.open} testId="prescription-dialog" className="prescription-dialog" onClose={() => void controller.close()}>
      {(titleId) =>
        state.patient &&
        (state.printUrl ? (
          <PrintedView controller={controller} url={state.printUrl} titleId={titleId} patient={state.patient} />
        ) : (
          <PrescriptionForm controller={controller} state={state} patient={state.patient} titleId={titleId} />
        ))
      }
    </FormDialog>
  );
}

/** After sending: the ordonnance to print and sign by hand. */
function PrintedView({ controller, url, titleId, patient }: { controller: PrescriptionController; url: string; titleId: string; patient: Patient }) {
  const frame = useRef<HTMLIFrameElement>(null);
  return (
    <div className="rx-form" data-testid="prescription-printed">
      <h2 id={titleId} className="rx-title">
        {fr.rx.printedTitle}
      </h2>
      <IdentityBanner patient={patient} />
      <p>{fr.rx.printedText}</p>
      <iframe ref={frame} className="rx-preview" src={url} title={fr.prescription.previewTitle} data-testid="prescription-print-pdf" />
      <div className="rx-actions">
        <button type="button" className="button" onClick={() => void controller.close()}>
          {fr.prescription.close}
        </button>
        <button type="button" className="button button-primary" onClick={() => frame.current?.contentWindow?.print()}>
          {fr.rx.print}
        </button>
      </div>
    </div>
  );
}

function PrescriptionForm({
  controller,
  state,
  patient,
  titleId,
}: {
  controller: PrescriptionController;
  state: PrescriptionViewState;
  patient: Patient;
  titleId: string;
}) {
  const base = useId();
  const { draft } = state;
  const shown = state.showErrors ? state.errors : [];
  const complaints = complaintsOf(shown, draft.lines);
  // A refusal of the drug is said at once, not only when the GP asks to print.
  for (const e of state.errors) {
    if (e.code !== 'drug-refused') continue;
    const m = /^lines\.(\d+)\./.exec(e.field);
    const line = m ? draft.lines[Number(m[1])] : undefined;
    if (line) complaints[`${line.key}-medication`] ??= messageOf(e);
  }
  const { fieldError, describe, errorText, focusFirst } = useFieldErrors<FieldKey>(base, { field: null, error: null }, { complaints, errorClass: 'field-error' });
  const linesError = shown.find((e) => e.field === 'lines');
  const previewRef = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    if (state.previewUrl) previewRef.current?.scrollIntoView({ block: 'start' });
  }, [state.previewUrl]);

  const act = async (run: () => Promise<unknown>) => {
    await run();
    const now = controller.getState();
    if (now.showErrors) focusFirst(complaintsOf(now.errors, now.draft.lines), fieldOrder(now.draft.lines));
  };

  const field = (
    key: FieldKey,
    label: string,
    value: string,
    onChange: (v: string) => void,
    maxLength: number,
    extra: { placeholder?: string; inputMode?: 'numeric' | 'decimal'; multiline?: boolean; className?: string; list?: string; disabled?: boolean } = {},
  ) => {
    const error = fieldError(key);
    const common = {
      id: `${base}-${key}`,
      value,
      maxLength,
      placeholder: extra.placeholder,
      disabled: extra.disabled,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describe(key),
    } as const;
    return (
      <div className={`rx-field${extra.className ? ` ${extra.className}` : ''}${error ? ' rx-field--invalid' : ''}`}>
        <label htmlFor={common.id}>{label}</label>
        {extra.multiline ? (
          <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input {...common} type="text" inputMode={extra.inputMode} list={extra.list} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
        )}
        {errorText(key)}
      </div>
    );
  };
  const lineField = (line: PrescriptionDraftLine, name: TextField, label: string, extra: Parameters<typeof field>[5] = {}) =>
    field(
      `${line.key}-${name}`,
      label,
      line[name],
      (v) => controller.updateLine(line.key, { [name]: v }),
      name in TEXT_FIELD_MAX ? TEXT_FIELD_MAX[name as keyof typeof TEXT_FIELD_MAX] : name === 'doseUnit' ? 40 : NUMBER_FIELD_MAX,
      extra,
    );

  return (
    <form
      className="rx-form"
      onSubmit={(e) => {
        e.preventDefault();
        void act(controller.send);
      }}
    >
      <h2 id={titleId} className="rx-title">
        {fr.prescription.title}
        <DialogPatient patient={patient} />
      </h2>
      <IdentityBanner patient={patient} />
      {state.replaces && (
        <p className="form-notice" role="note" data-testid="refused-edit-notice">
          {fr.refusedEdit.prescription}
        </p>
      )}
      <p className="muted rx-release" data-testid="drug-release">
        {state.release ? fr.rx.release(state.release.releaseDate ? state.release.releaseDate.split('-').reverse().join('/') : null, state.release.source) : fr.rx.releaseMissing}
      </p>
      <datalist id={`${base}-units`}>
        {DOSE_UNITS.map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
      <div className="rx-layout">
        <PatientSide panels={state.panels} allergies={state.allergies} />
        <div className="rx-main">
          {state.busy === 'loading' && <p className="muted">{fr.prescription.loading}</p>}
          {shown.length > 0 && (
            <p role="alert" className="rx-errors-summary" data-testid="prescription-errors">
              {fr.prescription.errorsSummary(shown.length)}
              {linesError && ` ${messageOf(linesError)}`}
            </p>
          )}
          {state.error && (
            <p role="alert" className="error-banner" data-testid="prescription-error">
              {errorMessage(state.error.code)}
            </p>
          )}
          {field('weight', fr.prescription.weight, draft.weightKg, controller.setWeight, NUMBER_FIELD_MAX, { inputMode: 'decimal', className: 'rx-weight' })}
          <p className="muted rx-hint">{fr.prescription.weightHint}</p>
          <ol className="rx-lines">
            {draft.lines.map((line, i) => {
              const sentence = sentencePreview(line);
              const nsKey = `${line.key}-nonSubstitutable`;
              return (
                <li key={line.key} data-testid="prescription-line">
                  <fieldset className="rx-line">
                    <legend>{fr.prescription.line(i + 1)}</legend>
                    <DrugField
                      controller={controller}
                      line={line}
                      search={state.search}
                      inputId={`${base}-${line.key}-medication`}
                      describedBy={describe(`${line.key}-medication`)}
                      invalid={!!fieldError(`${line.key}-medication`)}
                      errorText={errorText(`${line.key}-medication`)}
                    />
                    <fieldset className="rx-posology rx-wide">
                      <legend>{fr.rx.posologyTitle}</legend>
                      {lineField(line, 'dose', fr.rx.dose, { inputMode: 'decimal', placeholder: '1' })}
                      {lineField(line, 'doseUnit', fr.rx.doseUnit, { list: `${base}-units`, placeholder: 'comprimé' })}
                      {lineField(line, 'perDay', fr.rx.perDay, { inputMode: 'numeric', disabled: line.moments.length > 0 })}
                      <div className="rx-field rx-moments" role="group" aria-label={fr.rx.moments}>
                        <span className="rx-moments-label">{fr.rx.moments}</span>
                        <div className="rx-moments-boxes">
                          {MOMENTS.map((m) => (
                            <label key={m} className="rx-moment">
                              <input type="checkbox" checked={line.moments.includes(m)} onChange={() => controller.toggleMoment(line.key, m)} />
                              {fr.rx.moment[m]}
                            </label>
                          ))}
                        </div>
                      </div>
                      {sentence && (
                        <p className="rx-sentence rx-wide" data-testid="posology-sentence">
                          <span className="muted">{fr.rx.sentence}</span> {sentence}
                        </p>
                      )}
                      {lineField(line, 'posology', fr.rx.freePosology, { placeholder: fr.prescription.posologyPlaceholder, className: 'rx-wide' })}
                    </fieldset>
                    {lineField(line, 'route', fr.prescription.route, { placeholder: fr.prescription.routePlaceholder })}
                    {lineField(line, 'durationDays', fr.prescription.durationDays, { inputMode: 'numeric' })}
                    {lineField(line, 'packs', fr.prescription.packs, { inputMode: 'numeric' })}
                    {lineField(line, 'renewals', fr.prescription.renewals, { inputMode: 'numeric', disabled: line.drug?.rules.narcotic ?? false })}
                    {line.drug?.kind === 'speciality' && (
                      <div className={`rx-field rx-ns rx-wide${fieldError(nsKey) ? ' rx-field--invalid' : ''}`}>
                        <label className="rx-check">
                          <input
                            id={`${base}-${nsKey}`}
                            type="checkbox"
                            checked={line.nonSubstitutable}
                            aria-describedby={describe(nsKey)}
                            onChange={(e) => controller.updateLine(line.key, { nonSubstitutable: e.target.checked, ...(e.target.checked ? {} : { nonSubstitutableReason: null }) })}
                          />
                          {fr.rx.nonSubstitutable}
                        </label>
                        {line.nonSubstitutable && (
                          <label className="rx-ns-reason">
                            {fr.rx.nonSubstitutableReason}
                            <select
                              value={line.nonSubstitutableReason ?? ''}
                              aria-invalid={fieldError(nsKey) ? true : undefined}
                              onChange={(e) => controller.updateLine(line.key, { nonSubstitutableReason: (e.target.value || null) as NonSubstitutableReason | null })}
                            >
                              <option value="">{fr.rx.chooseReason}</option>
                              {NON_SUBSTITUTABLE_REASONS.map((r) => (
                                <option key={r} value={r}>
                                  {fr.rx.reasons[r]}
                                </option>
                              ))}
                            </select>
                          </label>
                        )}
                        {errorText(nsKey)}
                      </div>
                    )}
                    <div className="rx-field rx-check rx-wide">
                      <input id={`${base}-${line.key}-ald`} type="checkbox" checked={line.ald} onChange={(e) => controller.updateLine(line.key, { ald: e.target.checked })} />
                      <label htmlFor={`${base}-${line.key}-ald`}>{fr.prescription.ald}</label>
                    </div>
                    {lineField(line, 'instructions', fr.prescription.instructions, { placeholder: fr.prescription.instructionsPlaceholder, multiline: true, className: 'rx-wide' })}
                    <button type="button" className="button button-quiet rx-remove" onClick={() => controller.removeLine(line.key)}>
                      {fr.prescription.removeLine(i + 1)}
                    </button>
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <button
            type="button"
            className="button"
            onClick={() => {
              const key = controller.addLine();
              requestAnimationFrame(() => document.getElementById(`${base}-${key}-medication`)?.focus());
            }}
          >
            {fr.prescription.addLine}
          </button>
        </div>
      </div>
      {state.previewUrl && <iframe ref={previewRef} className="rx-preview" src={state.previewUrl} title={fr.prescription.previewTitle} data-testid="prescription-preview" />}
      <p className="muted rx-hint">{signatureNote(state)}</p>
      <div className="rx-actions">
        <button type="button" className="button" onClick={() => void controller.close()}>
          {fr.prescription.close}
        </button>
        <button type="button" className="button" disabled={state.busy !== null} onClick={() => void act(controller.preview)}>
          {state.busy === 'preview' ? fr.prescription.previewing : fr.prescription.preview}
        </button>
        <button type="submit" className="button button-primary" disabled={state.busy !== null} data-testid="prescription-send">
          {sendLabel(state)}
        </button>
      </div>
      <SignWithCard controller={controller} state={state} />
    </form>
  );
}
