/**
 * The durable local outbox: the one path every write to the platform takes (journal entries now;
 * referrals, PPS and prescriptions later). See docs/outbox.md for the states, the idempotency
 * scheme, the backoff numbers and the crash-safety argument.
 *
 * Storage: the `outbox` table of the professional's store.db (migration 004), written through a
 * connection of its own opened with `synchronous = FULL`, so an accepted post is on disk (WAL
 * fsynced) before `journal.post` answers — the rest of the store keeps NORMAL for speed.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  OutboxItemSchema,
  RelaisError,
  type Confidentiality,
  type EntryCategory,
  type ErrorCode,
  type JournalEntry,
  type JournalKind,
  type OutboxItem,
  type OutboxKind,
  type OutboxStatus,
  type PostAttachment,
  type Professional,
} from '../../contract';
import { toErrorShape } from '../errors';
import type { EventBus } from '../events';
import type { NewJournalEntry, Platform } from '../platform/port';
import { migrate } from '../store/migrations/index';
import { backoffDelay, DEFAULT_BACKOFF, isRetryable, type BackoffPolicy } from './policy';

/** What a journal-entry row carries (JSON in `outbox.payload`). */
export interface JournalEntryPayload {
  patientId: string;
  kind: JournalKind;
  text: string;
  date: string;
  replyTo?: string;
  marker?: NewJournalEntry['marker'];
  /** Absent in rows written before roles (read: care, normal). */
  category?: EntryCategory;
  confidentiality?: Confidentiality;
  /** Dropped (data emptied) once sent, so the outbox does not keep files for ever. */
  attachments: PostAttachment[];
}

export interface EnqueueJournalEntry {
  patientId: string;
  kind: JournalKind;
  text: string;
  replyTo?: string;
  marker?: NewJournalEntry['marker'];
  attachments?: PostAttachment[];
  category?: EntryCategory;
  confidentiality?: Confidentiality;
}

/**
 * Sends one row of a kind other than journal-entry. Must be idempotent on `clientId` (send it as
 * the resource's identifier with If-None-Exist, or use If-Match for updates): after a crash the
 * row is sent again. Answers the platform id and, when the write is shown in the journal, the
 * platform's journal entry that replaces the optimistic one.
 */
export type OutboxWriter = (
  payload: unknown,
  context: { clientId: string; patientId: string; professional: Professional; platform: Platform },
) => Promise<{ platformId: string; entry?: JournalEntry }>;

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
  kind: Exclude<OutboxKind, 'journal-entry'>;
  patientId: string;
  /** JSON-serialisable; validated by the feature before it is enqueued. Kept until sent (and after, for the record). */
  payload: unknown;
  /** One line for the status list (« Ordonnance : 2 lignes »…). */
  summary: string;
  /** Optimistic journal entry shown (marked pending) until the platform answers. */
  optimistic?: Pick<JournalEntry, 'kind' | 'text'> & Partial<Pick<JournalEntry, 'urgent'>>;
}

export interface OutboxOptions {
  /** store.db of the professional (migrations applied here too, idempotently). */
  dbPath: string;
  /** Opens the connection (an encrypted store needs its key: LocalStore.openConnection); default: plain file at dbPath. */
  openDb?: () => Database.Database;
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

interface Row {
  seq: number;
  client_id: string;
  kind: OutboxKind;
  patient_id: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error_code: string | null;
  last_error_message: string | null;
  platform_id: string | null;
  local_entry_id: string;
  summary: string;
  created_at: string;
  updated_at: string;
}

export const LOCAL_ENTRY_PREFIX = 'local-';

/**
 * A sent row keeps its payload for the record, but not the files it carried (admission or
 * referral documents): they are on the platform now, and the store should not grow with them.
 */
export function withoutFileData(payload: string): string {
  return JSON.stringify(JSON.parse(payload) as unknown, (key, value: unknown) => (key === 'dataBase64' && typeof value === 'string' ? '' : value));
}

function toItem(r: Row): OutboxItem {
  return OutboxItemSchema.parse({
    id: r.client_id,
    kind: r.kind,
    patientId: r.patient_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'queued' || r.status === 'sending' ? new Date(r.next_attempt_at).toISOString() : null,
    lastError: r.last_error_code ? { code: r.last_error_code as ErrorCode, message: r.last_error_message ?? '' } : null,
    platformId: r.platform_id,
    localEntryId: r.local_entry_id,
    summary: r.summary,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

/** « Dr Hélène DUFAU » for the optimistic entry (the platform's version replaces it). */
function displayName(p: Professional): string {
  return `${p.profession.code === '10' ? 'Dr ' : ''}${p.givenName} ${p.familyName}`;
}

function summaryOf(text: string, attachments: readonly PostAttachment[]): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t) return t.length > 200 ? `${t.slice(0, 199)}…` : t;
  return attachments.map((a) => a.title).join(', ').slice(0, 200);
}

export class Outbox {
  private readonly db: Database.Database;
  private readonly stmts;
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
    try {
      this.db = options.openDb ? options.openDb() : new Database(options.dbPath);
      this.db.pragma('journal_mode = WAL');
      // Every commit of this connection is fsynced (WAL + FULL): an accepted post survives a
      // power cut, not only a process crash. See docs/outbox.md.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db);
    } catch (error) {
      throw new RelaisError('STORAGE_ERROR', `cannot open the outbox: ${String(error)}`);
    }
    const db = this.db;
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO outbox (client_id, kind, patient_id, payload, status, attempts, next_attempt_at, local_entry_id, summary, created_at, updated_at)
         VALUES (@clientId, @kind, @patientId, @payload, 'queued', 0, @next, @localEntryId, @summary, @at, @at)`,
      ),
      byId: db.prepare(`SELECT * FROM outbox WHERE client_id = ?`),
      head: db.prepare(`SELECT * FROM outbox WHERE status IN ('queued', 'sending') ORDER BY seq LIMIT 1`),
      unfinished: db.prepare(`SELECT * FROM outbox WHERE status != 'sent' ORDER BY seq`),
      recentSent: db.prepare(`SELECT * FROM outbox WHERE status = 'sent' ORDER BY seq DESC LIMIT ?`),
      markSending: db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE seq = ?`),
      markSent: db.prepare(
        `UPDATE outbox SET status = 'sent', platform_id = ?, payload = ?, last_error_code = NULL, last_error_message = NULL, updated_at = ? WHERE seq = ?`,
      ),
      markRetry: db.prepare(
        `UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error_code = ?, last_error_message = ?, updated_at = ? WHERE seq = ?`,
      ),
      markFailed: db.prepare(
        `UPDATE outbox SET status = 'failed-permanent', last_error_code = ?, last_error_message = ?, updated_at = ? WHERE seq = ?`,
      ),
      platformIdOfLocal: db.prepare(`SELECT platform_id FROM outbox WHERE local_entry_id = ? AND status = 'sent'`).pluck(),
      entryJson: db.prepare(`SELECT json FROM journal_entries WHERE id = ? AND patient_id = ?`).pluck(),
      insertEntry: db.prepare(
        `INSERT INTO journal_entries (id, patient_id, date, kind, version, json) VALUES (@id, @patientId, @date, @kind, @version, @json)
         ON CONFLICT(id) DO UPDATE SET patient_id = excluded.patient_id, date = excluded.date, kind = excluded.kind,
           version = excluded.version, json = excluded.json
         WHERE journal_entries.version IS NOT excluded.version`,
      ),
      deleteEntry: db.prepare(`DELETE FROM journal_entries WHERE id = ?`),
    };
  }

  // ------------------------------------------------------------------ enqueue

  /**
   * Accepts a journal entry: one transaction (fsynced) writes the outbox row and the optimistic
   * entry (marked pending) into the local journal. Answers the item; the worker sends it.
   */
  enqueueJournalEntry(input: EnqueueJournalEntry): OutboxItem {
    const attachments = input.attachments ?? [];
    if (input.text.trim() === '' && attachments.length === 0) {
      throw new RelaisError('INVALID_INPUT', 'nothing to post: no text and no file', 'text');
    }
    if (input.kind !== 'text' && input.kind !== 'alert' && attachments.length === 0) {
      throw new RelaisError('INVALID_INPUT', `a ${input.kind} entry needs a file`, 'attachments');
    }
    if (input.replyTo && !this.stmts.entryJson.get(input.replyTo, input.patientId)) {
      throw new RelaisError('INVALID_INPUT', 'the entry answered is not in this journal', 'replyTo');
    }
    const clientId = randomUUID();
    const localEntryId = `${LOCAL_ENTRY_PREFIX}${clientId}`;
    const nowMs = this.now();
    const at = new Date(nowMs).toISOString();
    const payload: JournalEntryPayload = {
      patientId: input.patientId,
      kind: input.kind,
      text: input.text,
      date: at,
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      ...(input.marker ? { marker: input.marker } : {}),
      ...(input.category ? { category: input.category } : {}),
      ...(input.confidentiality ? { confidentiality: input.confidentiality } : {}),
      attachments,
    };
    const pro = this.options.professional;
    const optimistic: JournalEntry = {
      id: localEntryId,
      patientId: input.patientId,
      kind: input.kind,
      date: at,
      author: { id: pro.id, name: displayName(pro), roleLabel: pro.roleLabel },
      text: input.text,
      attachments: [],
      urgent: false,
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      version: '',
      pending: true,
      ...(input.category ? { category: input.category } : {}),
      ...(input.confidentiality ? { confidentiality: input.confidentiality } : {}),
    };
    this.db.transaction(() => {
      this.stmts.insert.run({
        clientId,
        kind: 'journal-entry',
        patientId: input.patientId,
        payload: JSON.stringify(payload),
        next: nowMs,
        localEntryId,
        summary: summaryOf(input.text, attachments),
        at,
      });
      this.stmts.insertEntry.run({ id: localEntryId, patientId: input.patientId, date: at, kind: input.kind, version: '', json: JSON.stringify(optimistic) });
    })();
    const item = this.get(clientId)!;
    this.changed();
    this.kick();
    return item;
  }

  /** A feature's writer for its kind (before start(): rows left by a previous run are sent too). */
  registerWriter(kind: Exclude<OutboxKind, 'journal-entry'>, writer: OutboxWriter): void {
    this.writers.set(kind, writer);
    this.kick();
  }

  /**
   * Accepts a write of another kind (prescription, PPS update…): one fsynced transaction writes
   * the row and, when given, the optimistic journal entry. The kind's writer sends it in order.
   */
  enqueue(write: EnqueueWrite): OutboxItem {
    const clientId = randomUUID();
    const localEntryId = `${LOCAL_ENTRY_PREFIX}${clientId}`;
    const nowMs = this.now();
    const at = new Date(nowMs).toISOString();
    const pro = this.options.professional;
    this.db.transaction(() => {
      this.stmts.insert.run({
        clientId,
        kind: write.kind,
        patientId: write.patientId,
        payload: JSON.stringify(write.payload),
        next: nowMs,
        localEntryId,
        summary: write.summary.slice(0, 200),
        at,
      });
      if (write.optimistic) {
        const optimistic: JournalEntry = {
          id: localEntryId,
          patientId: write.patientId,
          kind: write.optimistic.kind,
          date: at,
          author: { id: pro.id, name: displayName(pro), roleLabel: pro.roleLabel },
          text: write.optimistic.text,
          attachments: [],
          urgent: write.optimistic.urgent ?? false,
          version: '',
          pending: true,
        };
        this.stmts.insertEntry.run({ id: localEntryId, patientId: write.patientId, date: at, kind: optimistic.kind, version: '', json: JSON.stringify(optimistic) });
      }
    })();
    const item = this.get(clientId)!;
    this.changed();
    this.kick();
    return item;
  }

  /** The payload of a row as it was enqueued (a failed PPS update offers the professional's edits again). */
  payloadOf(clientId: string): unknown {
    const r = this.stmts.byId.get(clientId) as Row | undefined;
    return r ? (JSON.parse(r.payload) as unknown) : null;
  }

  get(clientId: string): OutboxItem | null {
    const r = this.stmts.byId.get(clientId) as Row | undefined;
    return r ? toItem(r) : null;
  }

  /** Unfinished items (queued, sending, failed) and the most recently sent, oldest first. */
  list(patientId?: string): OutboxItem[] {
    const rows = [
      ...(this.stmts.unfinished.all() as Row[]),
      ...(this.stmts.recentSent.all(this.options.recentSent ?? 20) as Row[]),
    ].sort((a, b) => a.seq - b.seq);
    return rows.filter((r) => patientId === undefined || r.patient_id === patientId).map(toItem);
  }

  /** Raw view for tests and the crash harness. */
  counts(): Record<OutboxStatus, number> {
    const out: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, 'failed-permanent': 0 };
    for (const r of this.db.prepare(`SELECT status, count(*) AS n FROM outbox GROUP BY status`).all() as { status: OutboxStatus; n: number }[]) {
      out[r.status] = r.n;
    }
    return out;
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
    this.db.close();
  }

  /** Wakes the worker (new item, reconnection). */
  kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The platform answers again: what waits for its backoff is retried now, in order. */
  retryNow(): void {
    const changed = this.db.prepare(`UPDATE outbox SET next_attempt_at = ? WHERE status = 'queued' AND next_attempt_at > ?`).run(this.now(), this.now()).changes;
    if (changed > 0) this.kick();
  }

  /** Sends everything sendable now, in order; for tests that drive the worker by hand. Returns items attempted. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const head = this.stmts.head.get() as Row | undefined;
      if (!head || head.next_attempt_at > this.now()) return n;
      await this.attempt(head);
      n++;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let head: Row | undefined;
      try {
        head = this.stmts.head.get() as Row | undefined;
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
      const wait = head.next_attempt_at - this.now();
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

  private async attempt(row: Row): Promise<void> {
    // Recorded before the request leaves: after a crash here the row is retried, and the
    // platform answers the same resource (If-None-Exist on the client id).
    this.stmts.markSending.run(new Date(this.now()).toISOString(), row.seq);
    this.changed();
    try {
      if (row.kind !== 'journal-entry') {
        await this.sendWrite(row);
        return;
      }
      const entry = await this.send(row);
      const payload = JSON.parse(row.payload) as JournalEntryPayload;
      const light: JournalEntryPayload = { ...payload, attachments: payload.attachments.map((a) => ({ ...a, dataBase64: '' })) };
      const { unread: _u, pinned: _p, pending: _pe, ...stored } = entry;
      this.db.transaction(() => {
        this.stmts.markSent.run(entry.id, JSON.stringify(light), new Date(this.now()).toISOString(), row.seq);
        this.stmts.deleteEntry.run(row.local_entry_id);
        this.stmts.insertEntry.run({
          id: entry.id,
          patientId: entry.patientId,
          date: entry.date,
          kind: entry.kind,
          version: entry.version,
          json: JSON.stringify(stored),
        });
      })();
      this.changed();
      const item = this.get(row.client_id);
      if (item) this.options.onSent?.(item);
    } catch (caught) {
      const permanent = caught instanceof PermanentWriteFailure;
      const error = permanent ? caught.error : caught;
      const shape = toErrorShape(error);
      const at = new Date(this.now()).toISOString();
      if (!permanent && isRetryable(error)) {
        const attempts = row.attempts + 1;
        this.stmts.markRetry.run(this.now() + backoffDelay(attempts, this.backoff, this.random), shape.code, shape.message, at, row.seq);
      } else {
        this.stmts.markFailed.run(shape.code, shape.message, at, row.seq);
      }
      this.changed();
    }
  }

  private async sendWrite(row: Row): Promise<void> {
    const writer = this.writers.get(row.kind);
    if (!writer) throw new RelaisError('INTERNAL', `no outbox writer for ${row.kind}`);
    const result = await writer(JSON.parse(row.payload) as unknown, {
      clientId: row.client_id,
      patientId: row.patient_id,
      professional: this.options.professional,
      platform: this.options.platform,
    });
    const entry = result.entry;
    this.db.transaction(() => {
      this.stmts.markSent.run(result.platformId, withoutFileData(row.payload), new Date(this.now()).toISOString(), row.seq);
      this.stmts.deleteEntry.run(row.local_entry_id);
      if (entry) {
        const { unread: _u, pinned: _p, pending: _pe, ...stored } = entry;
        this.stmts.insertEntry.run({ id: entry.id, patientId: entry.patientId, date: entry.date, kind: entry.kind, version: entry.version, json: JSON.stringify(stored) });
      }
    })();
    this.changed();
    const item = this.get(row.client_id);
    if (item) this.options.onSent?.(item);
  }

  private async send(row: Row): Promise<JournalEntry> {
    const payload = JSON.parse(row.payload) as JournalEntryPayload;
    let replyTo = payload.replyTo;
    if (replyTo?.startsWith(LOCAL_ENTRY_PREFIX)) {
      // An answer to an entry posted from here: sent before it (strict order), so its id is known.
      const platformId = this.stmts.platformIdOfLocal.get(replyTo) as string | null | undefined;
      if (!platformId) throw new RelaisError('INVALID_INPUT', 'the entry answered could not be posted');
      replyTo = platformId;
    }
    const { platform } = this.options;
    const attachments: NewJournalEntry['attachments'] = [];
    for (const [i, a] of payload.attachments.entries()) {
      const data = Buffer.from(a.dataBase64, 'base64');
      const bin = await platform.createBinary({ clientId: `${row.client_id}/${i}`, contentType: a.contentType, data });
      attachments.push({ contentType: a.contentType, title: a.title, url: bin.url, size: data.length });
    }
    return platform.createJournalEntry({
      clientId: row.client_id,
      patientId: payload.patientId,
      authorId: this.options.professional.id,
      kind: payload.kind,
      text: payload.text,
      date: payload.date,
      attachments,
      ...(replyTo ? { replyTo } : {}),
      ...(payload.marker ? { marker: payload.marker } : {}),
      ...(payload.category ? { category: payload.category } : {}),
      ...(payload.confidentiality ? { confidentiality: payload.confidentiality } : {}),
    });
  }

  private changed(): void {
    this.options.events.emit({ type: 'outbox-changed', items: this.list() });
  }
}
