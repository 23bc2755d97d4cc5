import type { JournalEntry, OutboxItem, Patient, RelaisClient, RelaisErrorShape, RelaisEvent, Result } from '../contract';

/**
 * Test doubles for the controllers' unit tests (imported only by `*.test.ts`): a contract client
 * answering from a table of handlers and recording every call, and a minimal external store to
 * stand for the controllers a controller follows.
 */
type Answer = Result<unknown> | Promise<Result<unknown>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler reads its own method's request
export type Handlers = Record<string, Answer | ((request: any) => Answer)>;

export function fakeClient(handlers: Handlers = {}) {
  const calls: Array<[string, unknown]> = [];
  const listeners = new Set<(e: RelaisEvent) => void>();
  const client = {
    async call(method: string, request: unknown): Promise<Result<unknown>> {
      calls.push([method, request]);
      const h = handlers[method];
      if (h === undefined) return fail('INTERNAL', `no fake answer for ${method}`);
      return typeof h === 'function' ? h(request) : h;
    },
    onEvent(listener: (e: RelaisEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as RelaisClient;
  return {
    client,
    calls,
    handlers,
    /** The methods called, in order. */
    methods: () => calls.map(([m]) => m),
    emit: (event: RelaisEvent) => [...listeners].forEach((l) => l(event)),
    listenerCount: () => listeners.size,
  };
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message = code, extra: Partial<RelaisErrorShape> = {}): Result<never> =>
  ({ ok: false, error: { code, message, ...extra } }) as Result<never>;

/** A source controller's stand-in: `getState`/`subscribe`, and `set` to move it. */
export function fakeSource<S extends object>(initial: S) {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(patch: Partial<S>) {
      state = { ...state, ...patch };
      listeners.forEach((l) => l());
    },
  };
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise((r) => setTimeout(r, 0));

export function patient(id: string, over: Partial<Patient> = {}): Patient {
  return {
    id,
    birthName: 'MARTIN',
    firstNames: ['Jeanne'],
    birthDate: '1950-02-03',
    sex: 'F',
    ins: { value: '250027505612345', oid: '1.2.250.1.213.1.4.10' },
    identityStatus: 'QUAL',
    ...over,
  };
}

export function outboxItem(id: string, over: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id,
    kind: 'journal-entry',
    patientId: 'p1',
    status: 'queued',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    platformId: null,
    localEntryId: `local-${id}`,
    summary: 'x',
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-20T10:00:00Z',
    ...over,
  } as OutboxItem;
}

/** A text entry of patient p1 at that hour of 15 June 2025 (newest first = highest hour first). */
export function journalEntry(id: string, hour: number, over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id,
    patientId: 'p1',
    kind: 'text',
    date: new Date(Date.UTC(2025, 5, 15, hour)).toISOString(),
    author: { id: 'a', name: 'Dr A', roleLabel: 'Médecin' },
    text: id,
    attachments: [],
    urgent: false,
    version: '1',
    ...over,
  };
}
