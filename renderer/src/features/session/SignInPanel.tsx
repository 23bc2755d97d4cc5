import { useEffect, useRef, useState, type FormEvent } from 'react';
import { PinInput } from './PinInput';
import { fr, errorMessage } from '../../i18n/fr';
import type { LockState } from './lock-controller';

/**
 * The unlock / sign-in panel: shown over the app when the session is locked (card removed,
 * idle, manual) or the platform token expired. The PIN lives in this component's state only
 * until it is submitted, then is cleared; it is never put in the store or a message.
 */
export function SignInPanel({
  lock,
  demo,
  onUnlock,
  onReconnectPsc,
}: {
  lock: LockState;
  demo: boolean;
  onUnlock: (pin: string) => void;
  /** Set for a Pro Santé Connect session: no PIN, a new PSC sign-in in the browser unlocks. */
  onReconnectPsc?: () => void;
}) {
  const [pin, setPin] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [lock.reason, lock.error]);
  const blocked = lock.error?.code === 'PIN_LOCKED';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^[0-9]{4,8}$/.test(pin) || lock.unlocking) return;
    onUnlock(pin);
    setPin('');
  };

  let message: string | null = null;
  if (lock.error) {
    if (lock.error.reason && fr.signIn.pscErrors[lock.error.reason]) message = fr.signIn.pscErrors[lock.error.reason]!;
    else if (lock.error.code === 'PIN_INCORRECT') message = lock.error.triesLeft != null ? fr.lock.triesLeft(lock.error.triesLeft) : fr.lock.pinIncorrect;
    else if (lock.error.code === 'PIN_LOCKED') message = fr.lock.pinLocked;
    else message = errorMessage(lock.error.code);
  }

  return (
    <div className={`signin-overlay${lock.reason === 'token-expired' ? ' signin-overlay--dialog' : ''}`}>
      <section className="signin-panel" role="dialog" aria-modal="true" aria-labelledby="signin-title" aria-describedby="signin-hint">
        <h2 id="signin-title">{fr.lock.titles[lock.reason]}</h2>
        <p id="signin-hint">{onReconnectPsc ? fr.lock.pscHint : fr.lock.hints[lock.reason]}</p>
        {lock.reason !== 'token-expired' && <p className="muted">{fr.lock.draftsKept}</p>}
        {demo && <p className="muted">{fr.lock.demoHint}</p>}
        {message && (
          <p className="signin-error" role="alert">
            {message}
          </p>
        )}
        {onReconnectPsc && (
          <button type="button" className="button button-primary" onClick={onReconnectPsc} disabled={lock.unlocking} data-testid="psc-reconnect">
            {lock.unlocking ? fr.signIn.pscWaiting : fr.lock.pscReconnect}
          </button>
        )}
        {!blocked && !onReconnectPsc && (
          <form onSubmit={submit}>
            <label htmlFor="signin-pin">{fr.lock.pinLabel}</label>
            <PinInput id="signin-pin" inputRef={input} value={pin} onChange={setPin} invalid={lock.error?.code === 'PIN_INCORRECT'} />
            <button type="submit" className="button" disabled={lock.unlocking || pin.length < 4}>
              {lock.unlocking ? fr.lock.submitting : fr.lock.submit}
            </button>
          </form>
        )}
      </section>
    </div>
  );
}
