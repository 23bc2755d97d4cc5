/**
 * Card insertion / removal by polling the slot list (default every 500 ms): PKCS#11's
 * C_WaitForSlotEvent blocks a thread and is not implemented by every middleware, polling is.
 * A token is identified by slot + serial, so swapping cards is a removal then an insertion.
 */
import type { CardReader, CardSlot } from './types';

export interface CardWatchEvents {
  onInserted?(slot: CardSlot): void;
  onRemoved?(slot: CardSlot): void;
  /** The reader itself failed (library unloaded…): treated as a removal by the lock. */
  onError?(error: unknown): void;
}

export interface CardWatch {
  /** Tokens present at the last poll. */
  readonly present: CardSlot[];
  /** Polls once now (tests, and the first poll). */
  poll(): Promise<void>;
  stop(): void;
}

const keyOf = (s: CardSlot): string => `${s.slotId}|${s.serial ?? ''}|${s.label ?? ''}`;

export function watchCards(reader: CardReader, events: CardWatchEvents, intervalMs = 500): CardWatch {
  let present = new Map<string, CardSlot>();
  let stopped = false;
  let running: Promise<void> | null = null;

  const pollOnce = async (): Promise<void> => {
    let slots: CardSlot[];
    try {
      slots = (await reader.listSlots()).filter((s) => s.tokenPresent);
    } catch (error) {
      events.onError?.(error);
      slots = [];
    }
    const next = new Map(slots.map((s) => [keyOf(s), s]));
    for (const [k, s] of present) if (!next.has(k)) events.onRemoved?.(s);
    for (const [k, s] of next) if (!present.has(k)) events.onInserted?.(s);
    present = next;
  };
  const poll = (): Promise<void> => (running ??= pollOnce().finally(() => (running = null)));

  const timer = setInterval(() => {
    if (!stopped) void poll();
  }, intervalMs);
  timer.unref?.();

  return {
    get present() {
      return [...present.values()];
    },
    poll,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
