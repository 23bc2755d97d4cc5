import type { ApiMethod, RelaisClient } from '../contract';

/**
 * The journal first (issue 12): when another patient comes on screen, a dozen features ask the
 * core for their part at once (panels, tasks, referrals, admissions, alerts, summary…). Their
 * answers arrived one by one while the journal's first page was on its way, and each made the
 * window render again before the journal could be painted. This client holds those calls back
 * until the journal of the new patient is painted, or `maxHoldMs` at most (a journal that
 * cannot paint — no right to read it, an identity held for confirmation — delays nothing more).
 * The journal's own calls, and anything asked while no patient is opening, go at once; so does
 * everything after a `patient-changed` for the patient already on screen (the LGC's button pressed
 * again): no feature reloads then, and the journal, already painted, would not say so again.
 */
export const JOURNAL_FIRST_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['journal.page', 'journal.markRead']);
export const MAX_HOLD_MS = 400;

export interface JournalFirstOptions {
  /** Calls `listener` each time a patient's journal is painted; returns an unsubscribe function. */
  onJournalPainted(listener: () => void): () => void;
  maxHoldMs?: number;
}

export function journalFirstClient(client: RelaisClient, options: JournalFirstOptions): RelaisClient & { dispose(): void } {
  const maxHold = options.maxHoldMs ?? MAX_HOLD_MS;
  let held: Array<() => void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onScreen: string | null = null;

  const release = (): void => {
    clearTimeout(timer);
    const waiting = held ?? [];
    held = null;
    for (const go of waiting) go();
  };
  const hold = (): void => {
    clearTimeout(timer);
    held ??= [];
    timer = setTimeout(release, maxHold);
  };

  // Subscribed before any feature: the hold starts before their follow-up calls are made.
  const offEvents = client.onEvent((e) => {
    if (e.type !== 'patient-changed' || e.patient.id === onScreen) return;
    onScreen = e.patient.id;
    hold();
  });
  const offPaint = options.onJournalPainted(release);

  return {
    call(method, request) {
      if (held === null || JOURNAL_FIRST_METHODS.has(method)) return client.call(method, request);
      const queue = held;
      return new Promise<void>((resolve) => queue.push(resolve)).then(() => client.call(method, request));
    },
    onEvent: client.onEvent,
    dispose() {
      offEvents();
      offPaint();
      release();
    },
  };
}

const paintListeners = new Set<() => void>();

/** Called by the journal (features/journal/Journal.tsx) right after it sets its paint mark. */
export function announceJournalPainted(): void {
  for (const l of [...paintListeners]) l();
}

/** Listens to `announceJournalPainted` (a direct call: a PerformanceObserver is told later, in a task of its own). */
export function onJournalPainted(listener: () => void): () => void {
  paintListeners.add(listener);
  return () => paintListeners.delete(listener);
}
