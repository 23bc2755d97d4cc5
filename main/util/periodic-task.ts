/**
 * A task run now and then again after a delay chosen once each run ends; one run at a time
 * (`runNow` joins the one in progress), stoppable. Shared by the background sync and the alert
 * watcher, which differ only in what they run and how long they wait.
 */
export class PeriodicTask<T> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private running: Promise<T> | null = null;

  constructor(
    private readonly run: () => Promise<T>,
    /** Delay before the next run, from the outcome of the last one (undefined when it threw). */
    private readonly nextDelay: (outcome: { value?: T; error?: unknown }) => number,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(firstDelayMs = 0): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  runNow(): Promise<T> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runNow().then(
        (value) => this.schedule(this.nextDelay({ value })),
        (error: unknown) => this.schedule(this.nextDelay({ error })),
      );
    }, ms);
  }
}
