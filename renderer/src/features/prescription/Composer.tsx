import { useEffect, useId, useRef, useSyncExternalStore } from 'react';
import { NUMBER_FIELD_MAX, TEXT_FIELD_MAX, type Patient, type PrescriptionDraftLine, type PrescriptionFieldError } from '../../contract';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { errorMessage, fr } from '../../i18n/fr';
import { FormDialog } from '../../ui/FormDialog';
import type { PrescriptionController, PrescriptionViewState } from './controller';
import { IdentityBanner } from '../identity/IdentityBanner';
import { DialogPatient } from '../../ui/DialogPatient';

type LineField = Exclude<keyof PrescriptionDraftLine, 'key' | 'ald'>;
const LINE_FIELDS: readonly LineField[] = ['medication', 'posology', 'route', 'durationDays', 'packs', 'renewals', 'instructions'];
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

const messageOf = (e: PrescriptionFieldError): string => fr.prescription.errors[e.code] ?? e.code;

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

/** The fields in form order, for the focus on the first wrong one. */
const fieldOrder = (lines: readonly PrescriptionDraftLine[]): FieldKey[] => ['weight', ...lines.flatMap((l) => LINE_FIELDS.map((f) => `${l.key}-${f}`))];

/**
 * The e-prescription composer (modal): the patient's identity on top, one fieldset per line,
 * inline errors once the GP asks for a preview or to send, the PDF preview, « Signer et envoyer ».
 * Closing (Escape, « Fermer ») keeps the draft.
 */
export function PrescriptionComposer({ controller }: { controller: PrescriptionController }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  return (
    <FormDialog open={state.open} testId="prescription-dialog" className="prescription-dialog" onClose={() => void controller.close()}>
      {(titleId) => state.patient && <PrescriptionForm controller={controller} state={state} patient={state.patient} titleId={titleId} />}
    </FormDialog>
  );
}

function PrescriptionForm({ controller, state, patient, titleId }: { controller: PrescriptionController; state: PrescriptionViewState; patient: Patient; titleId: string }) {
  const base = useId();
  const { draft } = state;
  const shown = state.showErrors ? state.errors : [];
  const complaints = complaintsOf(shown, draft.lines);
  const { fieldError, describe, errorText, focusFirst } = useFieldErrors<FieldKey>(base, { field: null, error: null }, { complaints, errorClass: 'field-error' });
  const linesError = shown.find((e) => e.field === 'lines');
  // A new preview is brought into view: the GP asked to see it, not to scroll for it.
  const previewRef = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    if (state.previewUrl) previewRef.current?.scrollIntoView({ block: 'start' });
  }, [state.previewUrl]);

  /** Preview or send; refused by the checks, the first wrong field gets the focus. */
  const act = async (action: () => Promise<unknown>) => {
    await action();
    const now = controller.getState();
    if (now.showErrors) focusFirst(complaintsOf(now.errors, now.draft.lines), fieldOrder(now.draft.lines));
  };

  const field = (key: FieldKey, label: string, value: string, onChange: (v: string) => void, maxLength: number, extra: { placeholder?: string; inputMode?: 'numeric' | 'decimal'; multiline?: boolean; className?: string } = {}) => {
    const error = fieldError(key);
    const common = {
      id: `${base}-${key}`,
      value,
      maxLength,
      placeholder: extra.placeholder,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describe(key),
    } as const;
    return (
      <div className={`rx-field${extra.className ? ` ${extra.className}` : ''}${error ? ' rx-field--invalid' : ''}`}>
        <label htmlFor={common.id}>{label}</label>
        {extra.multiline ? (
          <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input {...common} type="text" inputMode={extra.inputMode} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
        )}
        {errorText(key)}
      </div>
    );
  };
  const lineField = (line: PrescriptionDraftLine, name: LineField, label: string, extra: Parameters<typeof field>[5] = {}) =>
    field(`${line.key}-${name}`, label, line[name], (v) => controller.updateLine(line.key, { [name]: v }), name in TEXT_FIELD_MAX ? TEXT_FIELD_MAX[name as keyof typeof TEXT_FIELD_MAX] : NUMBER_FIELD_MAX, extra);

  return (
    <form
      className="rx-form"
      onSubmit={(e) => {
        e.preventDefault();
        void act(controller.post);
      }}
    >
      <h2 id={titleId} className="rx-title">
        {fr.prescription.title}
        <DialogPatient patient={patient} />
      </h2>
      <IdentityBanner patient={patient} />
      <p className="muted">{fr.prescription.intro}</p>
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
        {draft.lines.map((line, i) => (
          <li key={line.key} data-testid="prescription-line">
            <fieldset className="rx-line">
              <legend>{fr.prescription.line(i + 1)}</legend>
              {lineField(line, 'medication', fr.prescription.medication, { placeholder: fr.prescription.medicationPlaceholder, className: 'rx-wide' })}
              {lineField(line, 'posology', fr.prescription.posology, { placeholder: fr.prescription.posologyPlaceholder, className: 'rx-wide' })}
              {lineField(line, 'route', fr.prescription.route, { placeholder: fr.prescription.routePlaceholder })}
              {lineField(line, 'durationDays', fr.prescription.durationDays, { inputMode: 'numeric' })}
              {lineField(line, 'packs', fr.prescription.packs, { inputMode: 'numeric' })}
              {lineField(line, 'renewals', fr.prescription.renewals, { inputMode: 'numeric' })}
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
        ))}
      </ol>
      <button
        type="button"
        className="button"
        onClick={() => {
          const key = controller.addLine();
          // Keyboard users land on the new line's first field.
          requestAnimationFrame(() => document.getElementById(`${base}-${key}-medication`)?.focus());
        }}
      >
        {fr.prescription.addLine}
      </button>
      {state.previewUrl && <iframe ref={previewRef} className="rx-preview" src={state.previewUrl} title={fr.prescription.previewTitle} data-testid="prescription-preview" />}
      <p className="muted rx-hint">{fr.prescription.signatureNote}</p>
      <div className="rx-actions">
        <button type="button" className="button" onClick={() => void controller.close()}>
          {fr.prescription.close}
        </button>
        <button type="button" className="button" disabled={state.busy !== null} onClick={() => void act(controller.preview)}>
          {state.busy === 'preview' ? fr.prescription.previewing : fr.prescription.preview}
        </button>
        <button type="submit" className="button button-primary" disabled={state.busy !== null} data-testid="prescription-send">
          {state.busy === 'post' ? fr.prescription.sending : fr.prescription.send}
        </button>
      </div>
    </form>
  );
}
