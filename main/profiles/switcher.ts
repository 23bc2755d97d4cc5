import { composeCore, type ComposeOptions, type Composition } from '../compose';

export type SwitcherOptions = Omit<ComposeOptions, 'rpps'>;

/**
 * The one open profile of the process: a sign-in by another professional closes the current
 * composition (its core, outbox and store) before opening the new professional's store, so B's
 * session never holds a handle on A's data.
 */
export class ProfileSwitcher {
  private current: { rpps: string; composition: Composition } | null = null;
  private pending: Promise<Composition> = Promise.resolve(null as unknown as Composition);

  constructor(
    private readonly options: SwitcherOptions,
    private readonly compose: (options: ComposeOptions) => Promise<Composition> = composeCore,
  ) {}

  get composition(): Composition | null {
    return this.current?.composition ?? null;
  }

  get rpps(): string | null {
    return this.current?.rpps ?? null;
  }

  /**
   * Signs in `rpps` (or any profile key, with `extra` saying who: card session, demo): the same
   * professional keeps the open composition; another one switches. Calls are serialized.
   */
  signIn(rpps: string, extra: Partial<ComposeOptions> = {}): Promise<Composition> {
    const next = this.pending.catch(() => undefined).then(async () => {
      if (this.current?.rpps === rpps) {
        // Same professional: a second card session is not needed, the open one stays wired.
        await extra.card?.close();
        return this.current.composition;
      }
      await this.closeCurrent();
      const composition = await this.compose({ ...this.options, rpps, ...extra });
      this.current = { rpps, composition };
      return composition;
    });
    this.pending = next;
    return next;
  }

  /** Closes the open profile (sign-out, quit). */
  signOut(): Promise<void> {
    const next = this.pending.catch(() => undefined).then(() => this.closeCurrent());
    this.pending = next.then(() => null as unknown as Composition);
    return next;
  }

  private async closeCurrent(): Promise<void> {
    const open = this.current;
    this.current = null;
    if (open) await open.composition.close();
  }
}
