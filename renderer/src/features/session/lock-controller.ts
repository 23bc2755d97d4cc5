import type { RelaisClient, RelaisErrorShape, RelaisEvent, Session } from '../../contract';
import { ExternalStore } from '../../state/external-store';

export type LockReason = 'card-removed' | 'idle' | 'manual' | 'token-expired';

export interface LockState {
  reason: LockReason;
  unlocking: boolean;
  /** Last refusal (PIN_INCORRECT with triesLeft, PIN_LOCKED, CARD_REMOVED…); never the PIN. */
  error: Pick<RelaisErrorShape, 'code' | 'triesLeft' | 'reason'> | null;
}

/**
 * The window's side of the session lock: follows session-locked / session-unlocked /
 * sign-in-required and calls session.unlock. Separate from the other controllers so the lock can
 * hide patient content without touching it (drafts stay where they are).
 */
export class LockController extends ExternalStore<LockState | null> {
  constructor(
    private readonly client: RelaisClient,
    /** Called before the lock shows (flush the draft being typed). */
    private readonly beforeLock: () => void = () => {},
    /** Called after unlocking (reload what the lock hid). */
    private readonly afterUnlock: () => void = () => {},
  ) {
    super(null);
    this.own(client.onEvent((e) => this.onEvent(e)));
    void client.call('session.current', {}).then((r) => {
      if (r.ok) this.fromSession(r.value);
    });
  }

  /** The session as session.current answered it (a window opened while locked). */
  fromSession(session: Session): void {
    if (session.locked && session.lockReason) this.replace({ reason: session.lockReason, unlocking: false, error: null });
  }

  lockNow = async (): Promise<void> => {
    this.beforeLock();
    await this.client.call('session.lock', {});
  };

  unlock = async (pin: string): Promise<void> => {
    if (!this.state) return;
    this.replace({ ...this.state, unlocking: true });
    const r = await this.client.call('session.unlock', { pin });
    if (r.ok) {
      this.replace(null);
      this.afterUnlock();
      return;
    }
    if (this.state) this.replace({ ...this.state, unlocking: false, error: { code: r.error.code, triesLeft: r.error.triesLeft ?? null } });
  };

  /**
   * A Pro Santé Connect session has no PIN: a new PSC sign-in of the same professional in the
   * browser unlocks it (and renews an expired platform session); the screen stays as it was.
   */
  reconnectPsc = async (): Promise<void> => {
    if (!this.state) return;
    this.replace({ ...this.state, unlocking: true, error: null });
    const r = await this.client.call('auth.signInPsc', {});
    if (r.ok) {
      this.replace(null);
      this.afterUnlock();
      return;
    }
    if (this.state) this.replace({ ...this.state, unlocking: false, error: { code: r.error.code, ...(r.error.reason ? { reason: r.error.reason } : {}) } });
  };

  private onEvent(event: RelaisEvent): void {
    if (event.type === 'session-locked') {
      this.beforeLock();
      this.replace({ reason: event.reason, unlocking: false, error: null });
    } else if (event.type === 'sign-in-required') {
      // Keep a real lock if there is one; otherwise ask for the PIN over what is on screen.
      if (!this.state) this.replace({ reason: 'token-expired', unlocking: false, error: null });
    } else if (event.type === 'session-unlocked') {
      this.replace(null);
    }
  }
}
