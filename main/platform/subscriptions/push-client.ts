/**
 * Push from the platform (issue 17, item 7): a FHIR Subscription (R4 backport, websocket channel)
 * on the followed patients, so a colleague's post or a new alert is synced when it happens
 * rather than at the next poll. Plain Node (`ws`), host-agnostic.
 *
 * Life cycle: discover (CapabilityStatement) → find our Subscription or create it (its filter
 * follows the followed patients) → `$get-ws-binding-token` → websocket, `bind-with-token` →
 * handshake: push is active (polling slows to a safety net) and one catch-up pass runs (what
 * changed before the binding). The socket closing, or no frame for 2 × the heartbeat period,
 * ends it: push inactive (polling back at its normal interval), reconnection with backoff, and a
 * catch-up pass at the next handshake. A platform without the topic is polled as before.
 */
import WebSocket from 'ws';
import { MAX_FRAME_BYTES, offersJournalTopic, ownSubscriptions, parseBinding, parseNotice, subscriptionFor, type Notice } from './messages';

/** What push drives in the core; main/compose.ts wires it to the background sync and the alert watcher. */
/** How often the subscription's filter is checked against the followed patients. */
export const FILTER_CHECK_MS = 5 * 60_000;

export interface PushTarget {
  /** Push is (no longer) delivering: polling slows down (resumes its normal interval). */
  pushActive(active: boolean): void;
  /** These followed patients' journals changed on the platform: sync them now. */
  changed(patientIds: string[]): void;
  /** An alert (Flag) of these followed patients was raised or changed: ask the alerts now. */
  alert(patientIds: string[]): void;
  /** Events may have been missed (new binding, a gap in the event numbers): one polling pass. */
  catchUp(): void;
}

export interface PushClientOptions {
  /** FHIR base URL of the platform. */
  baseUrl: string;
  getAccessToken?: () => string | null | undefined | Promise<string | null | undefined>;
  target: PushTarget;
  /** The patients the professional follows: the subscription's filter. */
  followedPatientIds: () => Promise<string[]>;
  /** Heartbeat period asked of the platform, in seconds (default 60). */
  heartbeatSeconds?: number;
  /** First and maximum delay between reconnection attempts (default 2 s, 60 s). */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  /** While bound, how often the followed patients are compared with the filter (default 5 min). */
  filterCheckMs?: number;
  /** Ids and states only: never a token, never a patient id. */
  log?: (event: string, detail?: Record<string, string | number>) => void;
}

export type PushState = 'off' | 'discovering' | 'connecting' | 'active' | 'waiting' | 'unsupported';

class NotOffered extends Error {}

const REQUEST_TIMEOUT_MS = 15_000;

export class PushClient {
  state: PushState = 'off';
  /** Notifications acted on, and frames ignored as garbage (diagnostics, tests). */
  readonly counts = { notifications: 0, ignored: 0, handshakes: 0 };
  private stopped = true;
  private socket: WebSocket | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private followed = new Set<string>();
  private lastEvent: number | null = null;
  private subscriptionId: string | null = null;
  /** Aborts the request in flight on stop: closing Relais does not wait for a slow platform. */
  private aborter = new AbortController();

  constructor(private readonly options: PushClientOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.aborter = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.aborter.abort();
    this.wake?.();
    this.socket?.terminate();
    await this.loop;
    this.loop = null;
    this.state = 'off';
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        this.state = 'discovering';
        if (!(await this.offered())) throw new NotOffered();
        this.state = 'connecting';
        const handshaken = await this.session();
        if (handshaken) attempt = 0;
      } catch (error) {
        if (error instanceof NotOffered) {
          this.state = 'unsupported';
          this.options.log?.('push.unsupported');
          return;
        }
        this.options.log?.('push.failed', { reason: error instanceof Error ? error.name : 'unknown' });
      }
      if (this.stopped) return;
      this.state = 'waiting';
      const base = this.options.reconnectBaseMs ?? 2_000;
      const cap = this.options.reconnectCapMs ?? 60_000;
      const delay = Math.min(cap, base * 2 ** Math.min(attempt++, 16));
      await this.sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async http(method: string, path: string, body?: unknown): Promise<unknown> {
    const token = await this.options.getAccessToken?.();
    const res = await fetch(`${this.options.baseUrl}/${path}`, {
      method,
      headers: { Accept: 'application/fhir+json', ...(body !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const text = await res.text();
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { name: `Http${res.status}` });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw Object.assign(new Error('not JSON'), { name: 'NotJson' });
    }
  }

  private async offered(): Promise<boolean> {
    return offersJournalTopic(await this.http('GET', 'metadata'));
  }

  /** One binding, until the socket ends; true when a handshake was received. */
  private async session(): Promise<boolean> {
    const ids = [...new Set(await this.options.followedPatientIds())].sort();
    this.followed = new Set(ids);
    if (ids.length === 0) return false; // nothing to subscribe to: polling covers it; retry later
    const id = await this.subscription(ids);
    this.subscriptionId = id;
    const binding = parseBinding(await this.http('POST', `Subscription/${id}/$get-ws-binding-token`, { resourceType: 'Parameters' }));
    if (!binding) throw Object.assign(new Error('bad binding'), { name: 'BadBinding' });
    if (this.stopped) return false;
    return this.listen(binding, id);
  }

  /** Our subscription on the platform: reused (its filter brought up to date), else created. */
  private async subscription(ids: string[]): Promise<string> {
    const heartbeat = this.options.heartbeatSeconds ?? 60;
    const wanted = subscriptionFor(ids, heartbeat);
    const filter = (wanted._criteria as { extension: { valueString: string }[] }).extension[0]!.valueString;
    const found = ownSubscriptions(await this.http('GET', `Subscription?criteria=${encodeURIComponent(String(wanted.criteria))}`));
    const same = found.find((s) => s.filter === filter);
    if (same) return same.id;
    if (found[0]) {
      await this.http('PUT', `Subscription/${found[0].id}`, subscriptionFor(ids, heartbeat, found[0].id));
      return found[0].id;
    }
    const created = (await this.http('POST', 'Subscription', wanted)) as { id?: unknown };
    if (typeof created?.id !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(created.id)) throw Object.assign(new Error('no id'), { name: 'BadSubscription' });
    return created.id;
  }

  private listen(binding: { token: string; url: string }, subscriptionId: string): Promise<boolean> {
    return new Promise((resolve) => {
      const ws = new WebSocket(binding.url, { maxPayload: MAX_FRAME_BYTES, handshakeTimeout: REQUEST_TIMEOUT_MS });
      this.socket = ws;
      let handshaken = false;
      let watchdog: ReturnType<typeof setTimeout> | null = null;
      const filterCheck = setInterval(() => void this.followFilter(), this.options.filterCheckMs ?? FILTER_CHECK_MS);
      const heartbeatMs = (this.options.heartbeatSeconds ?? 60) * 1000;
      // Nothing heard for two heartbeat periods: the link is dead even if TCP has not noticed.
      const arm = () => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          this.options.log?.('push.heartbeat-missed');
          ws.terminate();
        }, 2 * heartbeatMs);
      };
      ws.on('open', () => {
        ws.send(`bind-with-token ${binding.token}`);
        arm(); // the handshake is due within the same delay
      });
      ws.on('message', (data, isBinary) => {
        const notice = isBinary ? null : parseNotice(String(data));
        if (!notice || notice.subscriptionId !== subscriptionId) {
          this.counts.ignored += 1;
          return;
        }
        arm();
        if (notice.type === 'handshake' && !handshaken) {
          handshaken = true;
          this.counts.handshakes += 1;
          this.lastEvent = notice.eventsSinceStart;
          this.state = 'active';
          this.options.log?.('push.active');
          this.call(() => this.options.target.pushActive(true));
          this.call(() => this.options.target.catchUp());
        } else if (notice.type === 'event-notification' && handshaken) {
          this.notified(notice);
        }
      });
      ws.on('error', () => undefined); // 'close' follows
      ws.on('close', () => {
        if (watchdog) clearTimeout(watchdog);
        clearInterval(filterCheck);
        if (this.socket === ws) this.socket = null;
        // Stopping (sign-out, close): the core is being stopped too, nothing to resume.
        if (handshaken && !this.stopped) {
          this.options.log?.('push.inactive');
          this.call(() => this.options.target.pushActive(false));
        }
        resolve(handshaken);
      });
    });
  }

  /**
   * A patient followed (or no longer) since the binding: the filter follows, on the same
   * subscription and socket. A patient newly followed may have changed before: one catch-up pass.
   */
  private async followFilter(): Promise<void> {
    try {
      const ids = [...new Set(await this.options.followedPatientIds())].sort();
      const id = this.subscriptionId;
      if (!id || ids.length === 0 || (ids.length === this.followed.size && ids.every((p) => this.followed.has(p)))) return;
      const added = ids.some((p) => !this.followed.has(p));
      await this.http('PUT', `Subscription/${id}`, subscriptionFor(ids, this.options.heartbeatSeconds ?? 60, id));
      this.followed = new Set(ids);
      this.options.log?.('push.filter-updated', { patients: ids.length });
      if (added) this.call(() => this.options.target.catchUp());
    } catch (error) {
      // Kept as is: the next check (or reconnection) tries again; polling's safety net covers it.
      this.options.log?.('push.filter-failed', { reason: error instanceof Error ? error.name : 'unknown' });
    }
  }

  private notified(notice: Notice): void {
    this.counts.notifications += 1;
    // A gap in the numbering: events were lost on the way; poll once rather than trust the rest.
    const numbers = notice.events.map((e) => e.number).filter((n): n is number => n !== null);
    const first = numbers.length ? Math.min(...numbers) : null;
    if (first !== null && this.lastEvent !== null && first > this.lastEvent + 1) this.call(() => this.options.target.catchUp());
    if (numbers.length) this.lastEvent = Math.max(this.lastEvent ?? 0, ...numbers);
    // Only patients we follow: the platform's word is not enough to sync anyone else.
    const followed = (ids: string[]) => ids.filter((id) => this.followed.has(id));
    const journal = [...new Set(notice.events.filter((e) => e.focusType !== 'Flag').flatMap((e) => followed(e.patientIds)))];
    const alerts = [...new Set(notice.events.filter((e) => e.focusType === 'Flag').flatMap((e) => followed(e.patientIds)))];
    if (journal.length) this.call(() => this.options.target.changed(journal));
    if (alerts.length) this.call(() => this.options.target.alert(alerts));
  }

  /** The core's handlers must not take the socket down with them. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.options.log?.('push.target-failed', { reason: error instanceof Error ? error.name : 'unknown' });
    }
  }
}
