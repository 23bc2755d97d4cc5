import type { ChangesAnswer, Platform } from '../../platform/port';

type AlertsBatch = NonNullable<ChangesAnswer['alerts']>;
import type { JournalService } from './journal-service';

/** What the alert watcher (main/features/panels/alert-watcher.ts) lends the steady-state cycle. */
export interface AlertSink {
  /** The `since` of the next alerts question, in the platform's clock (null: no baseline yet). */
  watermark(): string | null;
  /** The watcher's own poll: the one-time baseline (the alerts already active, not announced). */
  pollNow(): Promise<number>;
  /** Alerts answered by the shared question: new ones announced (`alert-raised`), count kept. */
  ingest(batch: AlertsBatch): number;
}

/**
 * Margin under the time a question is sent, for the « nothing changed up to here » mark: a write
 * committed while the search ran may carry a slightly earlier `lastUpdated`.
 */
const CONFIRM_MARGIN_MS = 1_000;

/**
 * The steady-state question (issue 17 item 7): one request per 100 followed patients answering
 * which journals changed and which alerts are new, then the caller syncs only the changed ones.
 *
 * Each patient is asked from `max(last sync, last « nothing changed » answer)`: without the
 * second, one patient left untouched for weeks would make every question of its chunk start
 * weeks back, and its answers grow. The « nothing changed » marks live in memory: after a
 * restart the first question starts from the last syncs, one larger answer, then small again.
 */
export class ChangeFeed {
  private readonly confirmedAt = new Map<string, string>();

  constructor(
    private readonly platform: Pick<Platform, 'changesAmong'>,
    private readonly journal: JournalService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The platform answers the combined question (else: per-journal questions, alerts polled apart). */
  get supported(): boolean {
    return typeof this.platform.changesAmong === 'function';
  }

  /** The patients whose journal needs a sync; alerts are handed to `alerts` on the way. */
  async ask(patientIds: readonly string[], alerts: AlertSink | null): Promise<string[]> {
    if (!this.platform.changesAmong) return this.journal.needingSync(patientIds);
    const askedAt = new Date(this.now().getTime() - CONFIRM_MARGIN_MS).toISOString();
    const patients = patientIds.map((id) => {
      const synced = this.journal.syncedSince(id);
      const confirmed = this.confirmedAt.get(id);
      return { id, since: synced !== null && confirmed !== undefined && confirmed > synced ? confirmed : synced };
    });
    let alertsSince: string | null = null;
    if (alerts) {
      alertsSince = alerts.watermark();
      if (alertsSince === null) {
        // First start: the watcher records what is already active without announcing it.
        await alerts.pollNow();
        // No alert at all on the platform: from now on (the local clock, once).
        alertsSince = alerts.watermark() ?? askedAt;
      }
    }
    const answer = await this.platform.changesAmong({ patients, alertsSince });
    if (alerts && answer.alerts) alerts.ingest(answer.alerts);
    const needing: string[] = [];
    for (const p of patients) {
      if (p.since === null || answer.journalChanged.has(p.id)) needing.push(p.id);
      else this.confirmedAt.set(p.id, askedAt);
    }
    return needing;
  }
}
