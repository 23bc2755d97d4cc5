import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRelaisClient, type Transport } from './client';
import { RelaisEventSchema, type RelaisEvent } from './events';

function fakeTransport() {
  const subscribers = new Set<(event: unknown) => void>();
  const transport: Transport = {
    invoke: async () => ({ ok: true, value: null }),
    subscribe(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
  };
  return { transport, subscribers, emit: (event: unknown) => [...subscribers].forEach((s) => s(event)) };
}

const syncStatus = { type: 'sync-status', state: 'idle', done: 2, total: 2, lastCompleteAt: null } as const;

describe('createRelaisClient events', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses each event once, whatever the number of listeners, and hands it to every one of them', () => {
    const t = fakeTransport();
    const client = createRelaisClient(t.transport);
    const seen: RelaisEvent[][] = [[], [], []];
    for (const list of seen) client.onEvent((e) => list.push(e));
    expect(t.subscribers.size).toBe(1);
    const parse = vi.spyOn(RelaisEventSchema, 'safeParse');
    t.emit(syncStatus);
    expect(parse).toHaveBeenCalledTimes(1);
    for (const list of seen) expect(list).toEqual([syncStatus]);
  });

  it('drops an event that does not match the contract, for every listener', () => {
    const t = fakeTransport();
    const client = createRelaisClient(t.transport);
    const seen: RelaisEvent[] = [];
    client.onEvent((e) => seen.push(e));
    client.onEvent((e) => seen.push(e));
    t.emit({ type: 'sync-status', state: 'exploded' });
    t.emit('<script>alert(1)</script>');
    expect(seen).toEqual([]);
  });

  it('calls a function subscribed twice twice, stops calling an unsubscribed one, and leaves the transport when nobody listens', () => {
    const t = fakeTransport();
    const client = createRelaisClient(t.transport);
    const calls: string[] = [];
    const listener = () => calls.push('l');
    const offA = client.onEvent(listener);
    const offB = client.onEvent(listener);
    t.emit(syncStatus);
    expect(calls).toEqual(['l', 'l']);
    offA();
    t.emit(syncStatus);
    expect(calls).toEqual(['l', 'l', 'l']);
    offB();
    expect(t.subscribers.size).toBe(0);
    client.onEvent(listener);
    expect(t.subscribers.size).toBe(1);
  });
});
