import { useId, useState } from 'react';
import { fr } from '../../i18n/fr';
import type { PrescriptionController, PrescriptionViewState } from './controller';

const t = fr.prescriptionSignature;

/** The send button's words: what will happen to the ordonnance (never « Signer » without a card). */
export function sendLabel(state: PrescriptionViewState): string {
  if (state.busy === 'post') return state.signing === 'card' ? t.signing : fr.prescription.sending;
  return state.signing === 'card' ? t.sendWithCard : state.signing === 'demo' ? t.sendDemo : t.sendPrint;
}

export function signatureNote(state: PrescriptionViewState): string {
  return state.signing === 'card' ? t.noteCard : state.signing === 'demo' ? t.noteDemo : t.notePrint;
}

/**
 * The PIN prompt of a card signature, inside the composer (not a nested form: Enter signs). The
 * PIN stays in this component's state, is handed to controller.sign and cleared at once.
 */
export function SignWithCard({ controller, state }: { controller: PrescriptionController; state: PrescriptionViewState }) {
  const id = useId();
  const [pin, setPin] = useState('');
  if (!state.pinAsked) return null;
  const tries = state.error?.code === 'PIN_INCORRECT' && typeof state.error.triesLeft === 'number' ? state.error.triesLeft : null;
  const submit = () => {
    const typed = pin;
    setPin('');
    void controller.sign(typed);
  };
  return (
    <div role="group" aria-labelledby={`${id}-title`} className="rx-pin" data-testid="prescription-pin">
      <h3 id={`${id}-title`}>{t.pinTitle}</h3>
      <label htmlFor={`${id}-pin`}>{t.pinLabel}</label>
      <input
        id={`${id}-pin`}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        value={pin}
        autoFocus
        aria-describedby={`${id}-help`}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (pin.length >= 4) submit();
          }
        }}
      />
      <p id={`${id}-help`} className="muted">
        {t.pinHelp} {tries !== null && t.triesLeft(tries)}
      </p>
      <div className="rx-actions">
        <button type="button" className="button" onClick={controller.cancelPin}>
          {t.pinCancel}
        </button>
        <button type="button" className="button button-primary" disabled={pin.length < 4 || state.busy !== null} onClick={submit} data-testid="prescription-pin-sign">
          {t.pinSign}
        </button>
      </div>
    </div>
  );
}
