/**
 * The durable local outbox: the one path every write to the platform takes. Each feature
 * registers a writer for its kind (journal entries and alert acknowledgements, prescriptions,
 * PPS updates, appointments, admission requests, referrals) and enqueues its payloads; one worker
 * sends the rows in order, with one attempt loop, one backoff and one `sent` transaction. See
 * docs/outbox.md for the states, the idempotency scheme, the backoff numbers and the crash-safety
 * argument.
 *
 * Storage: the `outbox` table of the professional's store.db (migration 004), written through
 * the store's OutboxRepository, a connection of its own opened with `synchronous = FULL`, so an
 * accepted post is on disk (WAL fsynced) before the handler answers.
 */
import { randomUUID } from 'node:crypto';
import {
  OutboxItemSchema,
  RelaisError,
  type ErrorCode,
  type JournalEntry,
  type OutboxItem,
  type OutboxKind,
  type OutboxStatus,
  type Professional,
} from '../../contract';
import { toErrorShape } from '../errors';
import type { EventBus } from '../events';
import type { Platform } from '../platform/port';
import type { LocalStore } from '../store/store';
import type { OutboxRepository, OutboxRow } from '../store/repositories/outbox';
import { backoffDelay, DEFAULT_BACKOFF, isRetryable, type BackoffPolicy } from './policy';

/** What a writer gets besides the payload. */
export interface OutboxWriteContext {
  clientId: string;
  patientId: string;
  professional: Professional;
  platform: Platform;
  /**
   * The platform id of an entry posted from here (`local-<uuid>`) once its row is sent, else null:
   * a reply to it is sent after it (strict order) and refers to it by that id. Always given by
   * the outbox; optional so that tests can call a writer with the four fields above.
   */
  platformIdOfLocalEntry?: (localEntryId: string) => string | null;
}

/**
 * Sends one row of its kind. Must be idempotent on `clientId` (send it as the resource's
 * identifier with If-None-Exist, or use If-Match for updates): after a crash the row is sent
 * again. Answers the platform id and, when the write is shown in the journal, the platform's
 * journal entry that replaces the optimistic one.
 */
export type OutboxWriter = (payload: unknown, context: OutboxWriteContext) => Promise<{ platformId: string; entry?: JournalEntry }>;

/**
 * Thrown by a writer when retrying cannot help although the code is usually transient — e.g. a
 * 412 on an If-Match update: the resource changed, the professional must look at it again.
 */
export class PermanentWriteFailure extends Error {
  constructor(readonly error: RelaisError) {
    super(error.message);
  }
}

export interface EnqueueWrite {
  kind: OutboxKind;
  patientId: string;
  /** JSON-serialisable; validated by the feature before it is enqueued. Kept until sent (and after, without file bytes, for the record). */
  payload: unknown;
  /** One line for the status list (« Ordonnance : 2 lignes »…). */
  summary: string;
  /** Optimistic journal entry shown (marked pending) until the platform answers; dated at enqueue unless given. */
  optimistic?: Pick<JournalEntry, 'kind' | 'text'> & Partial<Pick<JournalEntry, 'urgent' | 'date' | 'replyTo' | 'category' | 'confidentiality'>>;
  /**
   * « Modifier » on a refused item of the same kind and patient: that row is discarded in the
   * transaction that inserts this one (never both on the platform, nothing lost in a crash).
   */
  replaces?: string;
}

export interface OutboxOptions {
  /** The professional's store: the outbox opens its own fsynced connection through it. */
  store: Pick<LocalStore, 'openOutboxRepository'>;
  platform: Platform;
  events: EventBus;
  professional: Professional;
  backoff?: BackoffPolicy;
  random?: () => number;
  now?: () => number;
  /** After an item is sent and the local journal holds the platform's version. */
  onSent?: (item: OutboxItem) => void;
  /** How many sent items list() keeps showing. */
  recentSent?: number;
}

export const LOCAL_ENTRY_PREFIX = 'local-';

/**
 * A sent row keeps its payload for the record, but not the files it carried (journal
 * attachments, admission or referral documents): they are on the platform now, and the store
 * should not grow with them.
 */
export function withoutFileData(payload: string): string {
  return JSON.stringify(JSON.parse(payload) as unknown, (key, value: unknown) => (key === 'dataBase64' && typeof value === 'string' ? '' : value));
}

function toItem(r: OutboxRow): OutboxItem {
  return OutboxItemSchema.parse({
    id: r.clientId,
    kind: r.kind,
    patientId: r.patientId,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'queued' || r.status === 'sending' ? new Date(r.nextAttemptAt).toISOString() : null,
    lastError: r.lastErrorCode ? { code: r.lastErrorCode as ErrorCode, message: r.lastErrorMessage ?? '' } : null,
    platformId: r.platformId,
    localEntryId: r.localEntryId,
    summary: r.summary,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
}

/** « Dr Hélène DUFAU » for the optimistic entry (the platform's version replaces it). */
function displayName(p: Professional): string {
  return `${p.profession.code === '10' ? 'Dr ' : ''}${p.givenName} ${p.familyName}`;
}

/** The pending entry shown in the journal until the platform answers: the professional as author, no attachments. */
function optimisticEntry(id: string, patientId: string, at: string, pro: Professional, o: NonNullable<EnqueueWrite['optimistic']>): JournalEntry {
  return {
    id,
    patientId,
    kind: o.kind,
    date: o.date ?? at,
    author: { id: pro.id, name: displayName(pro), roleLabel: pro.roleLabel },
    text: o.text,
    attachments: [],
    urgent: o.urgent ?? false,
    ...(o.replyTo ? { replyTo: o.replyTo } : {}),
    version: '',
    pending: true,
    ...(o.category ? { category: o.category } : {}),
    ...(o.confidentiality ? { confidentiality: o.confidentiality } : {}),
  };
}

export class Outbox {
  private readonly repo: OutboxRepository;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wake: (() => void) | null = null;
  private readonly writers = new Map<OutboxKind, OutboxWriter>();

  constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.repo = options.store.openOutboxRepository();
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  // ------------------------------------------------------------------ enqueue

  /** A feature's writer for its kind (before start(): rows left by a previous run are sent too). */
  registerWriter(kind: OutboxKind, writer: OutboxWriter): void {
    this.writers.set(kind, writer);
    this.kick();
  }

  /**
   * Accepts a write: one fsynced transaction writes the row and, when given, the optimistic
   * journal entry (marked pending). Answers the item; the kind's writer sends it, in order.
   */
  enqueue(write: EnqueueWrite): OutboxItem {
    const clientId = randomUUID();
    const localEntryId = `${LOCAL_ENTRY_PREFIX}${clientId}`;
    const nowMs = this.now();
    const at = new Date(nowMs).toISOString();
    const optimistic = write.optimistic ? optimisticEntry(localEntryId, write.patientId, at, this.options.professional, write.optimistic) : null;
    const row = {
      clientId,
      kind: write.kind,
      patientId: write.patientId,
      payload: JSON.stringify(write.payload),
      nextAttemptAt: nowMs,
      localEntryId,
      summary: write.summary.slice(0, 200),
      createdAt: at,
    };
    if (write.replaces === undefined) {
      this.repo.insert(row, optimistic);
    } else {
      const old = this.repo.byId(write.replaces);
      const replaceable = old && old.kind === write.kind && old.patientId === write.patientId && old.status === 'failed-permanent';
      if (!replaceable || !this.repo.insertReplacing(row, optimistic, old)) {
        throw new RelaisError('INVALID_INPUT', 'the item to modify is no longer a refused item of this kind and patient', 'replaces');
      }
    }
    const item = this.get(clientId)!;
    this.changed();
    this.kick();
    return item;
  }

  /** The payload of a row as it was enqueued (a failed PPS update offers the professional's edits again). */
  payloadOf(clientId: string): unknown {
    const r = this.repo.byId(clientId);
    return r ? (JSON.parse(r.payload) as unknown) : null;
  }

  /**
   * What the professional typed for a refused item, to offer it again in its dialog (« Modifier »):
   * the `form` its feature kept in the payload, with the payload's `attachments` when it has files.
   * Null when the item is not refused or kept none.
   */
  formOf(clientId: string): { kind: OutboxKind; form: unknown } | null {
    const r = this.repo.byId(clientId);
    if (!r || r.status !== 'failed-permanent') return null;
    const payload = JSON.parse(r.payload) as { form?: unknown; attachments?: unknown };
    if (payload.form === undefined) return null;
    // The files joined to a request are kept once, in the payload; the form gets them back.
    const files = Array.isArray(payload.attachments) && payload.attachments.length > 0 ? { attachments: payload.attachments } : {};
    return { kind: r.kind, form: typeof payload.form === 'object' && payload.form !== null ? { ...payload.form, ...files } : payload.form };
  }

  get(clientId: string): OutboxItem | null {
    const r = this.repo.byId(clientId);
    return r ? toItem(r) : null;
  }

  /** Unfinished items (queued, sending, failed) and the most recently sent, oldest first. */
  list(patientId?: string): OutboxItem[] {
    const rows = [...this.repo.unfinished(), ...this.repo.recentSent(this.options.recentSent ?? 20)].sort((a, b) => a.seq - b.seq);
    return rows.filter((r) => patientId === undefined || r.patientId === patientId).map(toItem);
  }

  /** Raw view for tests and the crash harness. */
  counts(): Record<OutboxStatus, number> {
    return this.repo.counts();
  }

  // ------------------------------------------------------------------ worker

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.running;
  }

  close(): void {
    this.repo.close();
  }

  /** Wakes the worker (new item, reconnection). */
  kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The platform answers again: what waits for its backoff is retried now, in order. */
  retryNow(): void {
    if (this.repo.retryNow(this.now()) > 0) this.kick();
  }

  /** « Réessayer » on a refused item: queued again at its place, sent at once. Null when it was not refused. */
  retry(clientId: string): OutboxItem | null {
    if (!this.repo.requeue(clientId, this.now(), this.iso())) return null;
    this.changed();
    this.kick();
    return this.get(clientId);
  }

  /**
   * Gives up a refused item for good (« Modifier » takes its text back; an abandoned agenda
   * change): the row and its pending entry are deleted. Answers its payload, or null when the
   * item was not refused (a queued one is on its way and cannot be recalled).
   */
  discard(clientId: string): unknown {
    const row = this.repo.byId(clientId);
    if (!row || row.status !== 'failed-permanent') return null;
    if (!this.repo.discard(row)) return null;
    this.changed();
    return JSON.parse(row.payload) as unknown;
  }

  /** Sends everything sendable now, in order; for tests that drive the worker by hand. Returns items attempted. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const head = this.repo.head();
      if (!head || head.nextAttemptAt > this.now()) return n;
      await this.attempt(head);
      n++;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let head: OutboxRow | null;
      try {
        head = this.repo.head();
      } catch (error) {
        console.error('[relais] outbox read failed', error);
        await this.sleep(1_000);
        continue;
      }
      if (!head) {
        await this.sleep(Infinity);
        continue;
      }
      // Strict order: a later item never overtakes one waiting for its retry (a reply never
      // reaches the platform before the entry it answers).
      const wait = head.nextAttemptAt - this.now();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      await this.attempt(head);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => done(), Math.min(ms, 2 ** 31 - 1)) : null;
      const done = () => {
        if (timer) clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      this.wake = done;
    });
  }

  /** The one attempt of a row, whatever its kind. */
  private async attempt(row: OutboxRow): Promise<void> {
    // Recorded before the request leaves: after a crash here the row is retried, and the
    // platform answers the same resource (If-None-Exist on the client id).
    this.repo.markSending(row.seq, this.iso());
    this.changed();
    try {
      const writer = this.writers.get(row.kind);
      if (!writer) throw new RelaisError('INTERNAL', `no outbox writer for ${row.kind}`);
      const result = await writer(JSON.parse(row.payload) as unknown, {
        clientId: row.clientId,
        patientId: row.patientId,
        professional: this.options.professional,
        platform: this.options.platform,
        platformIdOfLocalEntry: (localEntryId) => this.repo.platformIdOfLocalEntry(localEntryId),
      });
      this.repo.markSent(row, { platformId: result.platformId, payload: withoutFileData(row.payload), ...(result.entry ? { entry: result.entry } : {}) }, this.iso());
      this.changed();
      const item = this.get(row.clientId);
      if (item) this.options.onSent?.(item);
    } catch (caught) {
      const permanent = caught instanceof PermanentWriteFailure;
      const error = permanent ? caught.error : caught;
      const shape = toErrorShape(error);
      if (!permanent && isRetryable(error)) {
        this.repo.markRetry(row.seq, this.now() + backoffDelay(row.attempts + 1, this.backoff, this.random), shape, this.iso());
      } else {
        this.repo.markFailed(row.seq, shape, this.iso());
      }
      this.changed();
    }
  }

  private changed(): void {
    this.options.events.emit({ type: 'outbox-changed', items: this.list() });
  }
}
