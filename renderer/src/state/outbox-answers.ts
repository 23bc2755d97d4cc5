/**
 * Follows outbox items of some kinds across `outbox-changed` events and tells which ones the
 * platform has just answered (sent or refused), so a feature reloads what the answer changed.
 */
export class OutboxAnswers {
  /** Last known status of each watched item: a change means the platform answered. */
  private readonly status = new Map<string, string>();

  constructor(private readonly kinds: ReadonlySet<string>) {}

  /** The items of an `outbox-changed` event that the platform has just answered. */
  answered<I extends { id: string; kind: string; status: string }>(items: readonly I[]): I[] {
    const out: I[] = [];
    for (const item of items) {
      if (!this.kinds.has(item.kind)) continue;
      const before = this.status.get(item.id);
      this.status.set(item.id, item.status);
      // Only the platform's answer matters here (sent or refused); queued → sending is noise.
      if (before === item.status || (item.status !== 'sent' && item.status !== 'failed-permanent')) continue;
      out.push(item);
    }
    return out;
  }
}
