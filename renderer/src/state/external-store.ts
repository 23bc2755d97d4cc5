/**
 * The base of every controller of the window: its state lives outside React, is replaced (never
 * mutated) on each change and read through `useSyncExternalStore(c.subscribe, c.getState)`.
 * `subscribe` and `getState` are bound (arrow fields) because React calls them detached.
 * What a controller listens to (client events, other controllers) is registered with `own` and
 * released by `dispose`, so a window can be torn down (tests, sign-out) without leaking listeners.
 */
export abstract class ExternalStore<S> {
  private readonly listeners = new Set<() => void>();
  private readonly disposers: Array<() => void> = [];

  protected constructor(protected state: S) {}

  getState = (): S => this.state;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    for (const d of this.disposers.splice(0)) d();
  }

  /** Keeps an unsubscribe function to call on dispose. */
  protected own(...disposers: Array<() => void>): void {
    this.disposers.push(...disposers);
  }

  protected replace(next: S): void {
    this.state = next;
    for (const l of this.listeners) l();
  }

  /** A patch that changes nothing notifies no one: every listener is a render of the window. */
  protected set(patch: Partial<S>): void {
    const current = this.state as Record<string, unknown>;
    const changes = Object.entries(patch as Record<string, unknown>).some(([k, v]) => !Object.is(current[k], v));
    if (!changes) return;
    this.replace({ ...this.state, ...patch });
  }

  /** A new snapshot with the same content: for views that also read something outside the state (permissions). */
  protected touch(): void {
    this.replace({ ...this.state });
  }
}
