import { useEffect, useId, useRef, useSyncExternalStore } from 'react';
import { NUMBER_FIELD_MAX, TEXT_FIELD_MAX, type PrescriptionDraftLine, type PrescriptionFieldError } from '../../contract';
import { useModalDialog } from '../../hooks/useModalDialog';
import { errorMessage, fr } from '../../i18n/fr';
import type { PrescriptionController } from './controller';
import { IdentityBanner } from '../identity/IdentityBanner';

type LineField = Exclude<keyof PrescriptionDraftLine, 'key' | 'ald'>;

/** « Ordonnance » beside the identity banner; rendered only when the role may prescribe. */
export function PrescriptionButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button type="button" className="button prescription-open" title={fr.prescription.openHint} onClick={onOpen} data-testid="prescription-open">
      {fr.prescription.open}
    </button>
  );
}

function errorFor(errors: readonly PrescriptionFieldError[], field: string): string | null {
  const e = errors.find((x) => x.field === field);
  return e ? (fr.prescription.errors[e.code] ?? e.code) : null;
}

function Field({
  id,
  label,
  value,
  error,
  onChange,
  maxLength,
  placeholder,
  inputMode,
  multiline,
  className,
}: {
  id: string;
  label: string;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  maxLength: number;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal';
  multiline?: boolean;
  className?: string;
}) {
  const errorId = `${id}-error`;
  const common = {
    id,
    value,
    maxLength,
    placeholder,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
  } as const;
  return (
    <div className={`rx-field${className ? ` ${className}` : ''}${error ? ' rx-field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" inputMode={inputMode} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The e-prescription composer (modal): the patient's identity on top, one fieldset per line,
 * inline errors once the GP asks for a preview or to send, the PDF preview, « Signer et envoyer ».
 * Closing (Escape, « Fermer ») keeps the draft.
 */
export function PrescriptionComposer({ controller }: { controller: PrescriptionController }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const ref = useModalDialog(state.open);
  const base = useId();
  const { draft, patient } = state;
  const shown = state.showErrors ? state.errors : [];
  // A new preview is brought into view: the GP asked to see it, not to scroll for it.
  const previewRef = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    if (state.previewUrl) previewRef.current?.scrollIntoView({ block: 'start' });
  }, [state.previewUrl]);
  const field = (i: number, line: PrescriptionDraftLine, name: LineField, label: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field
      id={`${base}-${line.key}-${name}`}
      label={label}
      value={line[name]}
      error={errorFor(shown, `lines.${i}.${name}`)}
      onChange={(v) => controller.updateLine(line.key, { [name]: v })}
      maxLength={name in TEXT_FIELD_MAX ? TEXT_FIELD_MAX[name as keyof typeof TEXT_FIELD_MAX] : NUMBER_FIELD_MAX}
      {...extra}
    />
  );
  return (
    <dialog
      ref={ref}
      className="prescription-dialog"
      aria-labelledby={`${base}-title`}
      data-testid="prescription-dialog"
      onCancel={(e) => {
        e.preventDefault();
        void controller.close();
      }}
    >
      {state.open && patient && (
        <form
          className="rx-form"
          onSubmit={(e) => {
            e.preventDefault();
            void controller.post();
          }}
        >
          <h2 id={`${base}-title`} className="rx-title">
            {fr.prescription.title}
          </h2>
          <IdentityBanner patient={patient} />
          <p className="muted">{fr.prescription.intro}</p>
          {state.busy === 'loading' && <p className="muted">{fr.prescription.loading}</p>}
          {shown.length > 0 && (
            <p role="alert" className="rx-errors-summary" data-testid="prescription-errors">
              {fr.prescription.errorsSummary(shown.length)}
              {errorFor(shown, 'lines') && ` ${errorFor(shown, 'lines')}`}
            </p>
          )}
          {state.error && (
            <p role="alert" className="error-banner" data-testid="prescription-error">
              {errorMessage(state.error.code)}
            </p>
          )}
          <Field
            id={`${base}-weight`}
            label={fr.prescription.weight}
            value={draft.weightKg}
            error={errorFor(shown, 'weightKg')}
            onChange={controller.setWeight}
            maxLength={NUMBER_FIELD_MAX}
            inputMode="decimal"
            className="rx-weight"
          />
          <p className="muted rx-hint">{fr.prescription.weightHint}</p>
          <ol className="rx-lines">
            {draft.lines.map((line, i) => (
              <li key={line.key} data-testid="prescription-line">
                <fieldset className="rx-line">
                  <legend>{fr.prescription.line(i + 1)}</legend>
                  {field(i, line, 'medication', fr.prescription.medication, { placeholder: fr.prescription.medicationPlaceholder, className: 'rx-wide' })}
                  {field(i, line, 'posology', fr.prescription.posology, { placeholder: fr.prescription.posologyPlaceholder, className: 'rx-wide' })}
                  {field(i, line, 'route', fr.prescription.route, { placeholder: fr.prescription.routePlaceholder })}
                  {field(i, line, 'durationDays', fr.prescription.durationDays, { inputMode: 'numeric' })}
                  {field(i, line, 'packs', fr.prescription.packs, { inputMode: 'numeric' })}
                  {field(i, line, 'renewals', fr.prescription.renewals, { inputMode: 'numeric' })}
                  <div className="rx-field rx-check rx-wide">
                    <input
                      id={`${base}-${line.key}-ald`}
                      type="checkbox"
                      checked={line.ald}
                      onChange={(e) => controller.updateLine(line.key, { ald: e.target.checked })}
                    />
                    <label htmlFor={`${base}-${line.key}-ald`}>{fr.prescription.ald}</label>
                  </div>
                  {field(i, line, 'instructions', fr.prescription.instructions, { placeholder: fr.prescription.instructionsPlaceholder, multiline: true, className: 'rx-wide' })}
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
            <button type="button" className="button" disabled={state.busy !== null} onClick={() => void controller.preview()}>
              {state.busy === 'preview' ? fr.prescription.previewing : fr.prescription.preview}
            </button>
            <button type="submit" className="button button-primary" disabled={state.busy !== null} data-testid="prescription-send">
              {state.busy === 'post' ? fr.prescription.sending : fr.prescription.send}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
