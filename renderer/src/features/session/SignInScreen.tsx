import { useEffect, useRef, useState, type FormEvent } from 'react';
import { PinInput } from './PinInput';
import type { AuthStatus, RelaisErrorShape } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { LockedSettings, PlatformUnreachable } from '../settings/LockedSettings';

/**
 * The first screen of a shared install: nobody is signed in. The card in the reader says who it
 * belongs to (read from its certificate, no PIN needed); the PIN opens that professional's
 * profile. The PIN lives in this component's state until submitted, then is cleared.
 */
export function SignInScreen({
  status,
  onCardSignIn,
  onDemo,
  onPsc,
  onPscCancel,
}: {
  status: AuthStatus;
  onCardSignIn: (pin: string) => Promise<RelaisErrorShape | null>;
  onDemo: () => Promise<RelaisErrorShape | null>;
  /** Pro Santé Connect in the system browser; resolves when the browser flow ended. */
  onPsc?: () => Promise<RelaisErrorShape | null>;
  onPscCancel?: () => void;
}) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [pscWaiting, setPscWaiting] = useState(false);
  const [error, setError] = useState<Pick<RelaisErrorShape, 'code' | 'triesLeft' | 'reason'> | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const card = status.card;
  const holder = card?.holder ?? null;
  useEffect(() => input.current?.focus(), [holder?.idNatPs, error]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^[0-9]{4,8}$/.test(pin) || busy) return;
    const typed = pin;
    setPin('');
    setBusy(true);
    const failure = await onCardSignIn(typed);
    setBusy(false);
    setError(failure);
  };

  const demo = async () => {
    setBusy(true);
    const failure = await onDemo();
    setBusy(false);
    setError(failure);
  };

  const psc = async () => {
    if (!onPsc) return;
    setBusy(true);
    setPscWaiting(true);
    setError(null);
    const failure = await onPsc();
    setPscWaiting(false);
    setBusy(false);
    setError(failure);
  };

  let message: string | null = null;
  if (error) {
    if (error.reason && fr.signIn.pscErrors[error.reason]) message = fr.signIn.pscErrors[error.reason]!;
    else if (error.code === 'PIN_INCORRECT') message = error.triesLeft != null ? fr.lock.triesLeft(error.triesLeft) : fr.lock.pinIncorrect;
    else if (error.code === 'PIN_LOCKED') message = fr.lock.pinLocked;
    else message = errorMessage(error.code);
  }

  return (
    <main className="signin-screen" id="main">
      <section className="signin-panel" aria-labelledby="signin-screen-title" data-testid="sign-in-screen">
        <h1 id="signin-screen-title" className="app-name">
          {fr.signIn.title}
        </h1>
        <p className="muted">{fr.signIn.subtitle}</p>
        {status.pendingLaunch && (
          <p className="signin-pending" role="status">
            {fr.signIn.pendingLaunch}
          </p>
        )}
        {status.platformConfigured === false && (
          <p className="signin-error" role="alert" data-testid="platform-not-configured">
            {errorMessage('PLATFORM_NOT_CONFIGURED')}
          </p>
        )}
        <PlatformUnreachable status={status} />
        {card === null && <p>{fr.signIn.noReader}</p>}
        {card && !card.present && <p>{fr.signIn.insertCard}</p>}
        {card?.readerError && <p role="alert">{fr.signIn.readerError}</p>}
        {message && (
          <p className="signin-error" role="alert">
            {message}
          </p>
        )}
        {holder && error?.code !== 'PIN_LOCKED' && (
          <form onSubmit={(e) => void submit(e)}>
            <p className="signin-holder" data-testid="card-holder">
              {fr.signIn.cardOf(holder.kind, holder.displayName)}
              {holder.profession && <span className="muted"> — {holder.profession}</span>}
            </p>
            <label htmlFor="signin-screen-pin">{fr.signIn.pinLabel}</label>
            <PinInput id="signin-screen-pin" inputRef={input} value={pin} onChange={setPin} invalid={error?.code === 'PIN_INCORRECT'} />
            <button type="submit" className="button button-primary" disabled={busy || pin.length < 4}>
              {busy ? fr.signIn.submitting : fr.signIn.submit}
            </button>
          </form>
        )}
        {status.pscAvailable && onPsc && (
          <div className="signin-psc">
            {pscWaiting || status.pscPending ? (
              <>
                <p role="status" data-testid="psc-waiting">
                  {fr.signIn.pscWaiting}
                </p>
                <button type="button" className="button" onClick={() => onPscCancel?.()}>
                  {fr.signIn.pscCancel}
                </button>
              </>
            ) : (
              <>
                <button type="button" className="button button-primary" onClick={() => void psc()} disabled={busy} data-testid="sign-in-psc">
                  {fr.signIn.psc}
                </button>
                <p className="muted">{fr.signIn.pscHint}</p>
              </>
            )}
          </div>
        )}
        {status.demoAllowed && (
          <div className="signin-demo">
            <button type="button" className="button" onClick={() => void demo()} disabled={busy} data-testid="sign-in-demo">
              {fr.signIn.demo}
            </button>
            <p className="muted">{fr.signIn.demoHint}</p>
          </div>
        )}
        <LockedSettings policy={status.machinePolicy} />
      </section>
    </main>
  );
}
