/**
 * The card session of one professional: the reader, the platform sign-in (CardSignIn) and the
 * card watcher, wired to the core's lock by composeCore (option `card`).
 *
 *   const card = await openCardSession({ reader, platformUrl });   // reads the certificate
 *   await card.signIn(pin);                                         // first sign-in (PIN)
 *   const composition = await composeCore({ ..., card });           // lock wired, token used
 *
 * After that: removal → core lock 'card-removed' (watch poll 500 ms) and the token is dropped;
 * token expiry → 'sign-in-required' event; session.unlock({pin}) → card login + new sign-in.
 */
import { RelaisError } from '../../contract';
import type { CardIdentity } from '../../native-bridges/card/certificate';
import type { CardReader, CardSlot } from '../../native-bridges/card/types';
import { watchCards, type CardWatch } from '../../native-bridges/card/watch';
import { CardSignIn, defaultAuthUrl } from './card-sign-in';

export interface CardSessionOptions {
  reader: CardReader;
  platformUrl: string;
  authUrl?: string;
  /** Card watch poll interval (default 500 ms). */
  pollMs?: number;
  /** Token margin before the platform's expiry (default 5 s). */
  tokenMarginMs?: number;
  /** Which slot: default the first one with a token. */
  slotId?: string;
}

export interface CardSessionHooks {
  onRemoved(): void;
  onInserted?(): void;
  onExpired(): void;
}

export class CardSession {
  private watch: CardWatch | null = null;
  private hooks: CardSessionHooks | null = null;
  readonly signInClient: CardSignIn;
  /** The platform's id of the holder (Practitioner id, or staff-… for a CPE), after signIn. */
  professionalId: string | null = null;
  private holder: CardIdentity | null = null;

  private constructor(
    readonly reader: CardReader,
    readonly slot: CardSlot,
    options: CardSessionOptions,
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.signInClient = new CardSignIn({
      reader,
      slotId: slot.slotId,
      authUrl: options.authUrl ?? defaultAuthUrl(options.platformUrl),
      platformUrl: options.platformUrl,
      onExpired: () => this.hooks?.onExpired(),
      ...(options.tokenMarginMs !== undefined ? { marginMs: options.tokenMarginMs } : {}),
    });
  }

  private readonly pollMs: number;

  /** Finds the card and reads its certificate (no PIN yet). */
  static async open(options: CardSessionOptions): Promise<CardSession> {
    const slots = (await options.reader.listSlots()).filter((s) => s.tokenPresent);
    const slot = options.slotId ? slots.find((s) => s.slotId === options.slotId) : slots[0];
    if (!slot) throw new RelaisError('CARD_REMOVED', 'no card in the reader');
    const session = new CardSession(options.reader, slot, options);
    session.holder = await session.signInClient.readIdentity();
    return session;
  }

  get identity(): CardIdentity {
    if (!this.holder) throw new RelaisError('INTERNAL', 'card session not opened');
    return this.holder;
  }

  /** Card login + platform sign-in; the PIN lives for this call only. */
  async signIn(pin: string): Promise<void> {
    const result = await this.signInClient.signIn(pin);
    this.professionalId = result.professionalId;
  }

  getAccessToken(): string | undefined {
    return this.signInClient.getAccessToken();
  }

  /** Starts watching the reader; removal of this card calls hooks.onRemoved. */
  attach(hooks: CardSessionHooks): CardWatch {
    this.hooks = hooks;
    this.watch?.stop();
    const mine = (s: CardSlot): boolean => s.slotId === this.slot.slotId && s.serial === this.slot.serial;
    this.watch = watchCards(
      this.reader,
      {
        onRemoved: (s) => {
          if (!mine(s)) return;
          this.signInClient.clear();
          hooks.onRemoved();
        },
        onInserted: (s) => {
          if (mine(s)) hooks.onInserted?.();
        },
      },
      this.pollMs,
    );
    void this.watch.poll();
    return this.watch;
  }

  async close(): Promise<void> {
    this.watch?.stop();
    this.watch = null;
    this.signInClient.clear();
    await this.reader.close();
  }
}
