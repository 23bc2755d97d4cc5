/**
 * The session lock (PGSSI-S: lock on card removal or inactivity). While locked the core refuses
 * every patient call (CARD_REMOVED when the card was pulled, UNAUTHENTICATED otherwise) and the
 * window unmounts patient content behind the unlock panel; drafts are already in the store.
 *
 * - card removal → lock('card-removed') as soon as the watcher sees it (poll 500 ms: < 1 s);
 * - idle → lock('idle') after idleMs without API activity (0 / undefined: off);
 * - manual → lock('manual') (tray « Verrouiller », the window's button);
 * - unlock(pin) runs the injected unlocker (card login + fresh platform sign-in, or the demo
 *   check) and only then releases; PinError (PIN_INCORRECT with tries left / PIN_LOCKED)
 *   propagates unchanged. The PIN is never stored.
 */
import { RelaisError, type RelaisEvent } from '../../contract';

export type LockReason = 'card-removed' | 'idle' | 'manual';

export interface SessionLockOptions {
  emit: (event: RelaisEvent) => void;
  /** Verifies the PIN (and signs in again); throws to refuse. */
  unlocker: (pin: string) => Promise<void>;
  idleMs?: number;
}

export class SessionLock {
  private reason: LockReason | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: SessionLockOptions) {
    this.touch();
  }

  get state(): { locked: boolean; reason: LockReason | null } {
    return { locked: this.reason !== null, reason: this.reason };
  }

  lock(reason: LockReason): void {
    // A pulled card outranks idle/manual: the message must say to insert it again.
    if (this.reason === reason || (this.reason !== null && reason !== 'card-removed')) return;
    this.reason = reason;
    this.clearIdle();
    this.options.emit({ type: 'session-locked', reason });
  }

  async unlock(pin: string): Promise<void> {
    await this.options.unlocker(pin);
    this.release();
  }

  /** Unlocks without a PIN: the caller verified the professional another way (a new PSC sign-in). */
  release(): void {
    if (this.reason === null) return;
    this.reason = null;
    this.options.emit({ type: 'session-unlocked' });
    this.touch();
  }

  /** Activity: restarts the idle delay. */
  touch(): void {
    if (this.stopped || this.reason !== null) return;
    this.clearIdle();
    const ms = this.options.idleMs;
    if (ms && ms > 0) {
      this.idleTimer = setTimeout(() => this.lock('idle'), ms);
      this.idleTimer.unref?.();
    }
  }

  assertUnlocked(): void {
    if (this.reason === 'card-removed') throw new RelaisError('CARD_REMOVED', 'session locked: the card was removed');
    if (this.reason !== null) throw new RelaisError('UNAUTHENTICATED', `session locked (${this.reason})`);
  }

  stop(): void {
    this.stopped = true;
    this.clearIdle();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** Methods a locked session still answers. */
export const OPEN_WHILE_LOCKED = new Set(['session.current', 'session.lock', 'session.unlock']);

/** Wraps every other handler: refused while locked, activity otherwise. */
export function guardHandlers<H extends Record<string, (request: never) => Promise<unknown>>>(handlers: H, lock: SessionLock): void {
  for (const method of Object.keys(handlers) as (keyof H & string)[]) {
    if (OPEN_WHILE_LOCKED.has(method)) continue;
    const inner = handlers[method] as (request: never) => Promise<unknown>;
    handlers[method] = (async (request: never) => {
      lock.assertUnlocked();
      lock.touch();
      return inner(request);
    }) as H[typeof method];
  }
}
