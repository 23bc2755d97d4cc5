import { describe, expect, it } from 'vitest';
import { ExternalStore } from './external-store';
import { OutboxAnswers } from './outbox-answers';
import { ErrorController } from './error-controller';
import { outboxItem } from '../test-support/fake-client';

class Counter extends ExternalStore<{ n: number }> {
  released = 0;
  constructor() {
    super({ n: 0 });
    this.own(() => (this.released += 1));
  }
  inc = () => this.set({ n: this.state.n + 1 });
  keep = () => this.set({ n: this.state.n });
  same = () => this.touch();
}

describe('ExternalStore', () => {
  it('gives a new snapshot per change, notifies until unsubscribed, releases what it owns once', () => {
    const c = new Counter();
    const seen: number[] = [];
    const off = c.subscribe(() => seen.push(c.getState().n));
    const first = c.getState();
    c.inc();
    expect(c.getState()).not.toBe(first);
    c.same();
    const touched = c.getState();
    // A patch that changes nothing: same snapshot, nobody told (a render saved).
    c.keep();
    expect(c.getState()).toBe(touched);
    off();
    c.inc();
    expect(seen).toEqual([1, 1]);
    c.dispose();
    c.dispose();
    expect(c.released).toBe(1);
  });
});

describe('OutboxAnswers', () => {
  it('reports an item of a watched kind once per platform answer, never queued → sending', () => {
    const a = new OutboxAnswers(new Set(['referral']));
    const ref = (status: 'queued' | 'sending' | 'sent' | 'failed-permanent') => outboxItem('r1', { kind: 'referral', status });
    expect(a.answered([ref('queued'), outboxItem('j1', { status: 'sent' })])).toEqual([]);
    expect(a.answered([ref('sending')])).toEqual([]);
    expect(a.answered([ref('sent')]).map((i) => i.id)).toEqual(['r1']);
    expect(a.answered([ref('sent')])).toEqual([]);
  });
});

describe('ErrorController', () => {
  it('announces the same error twice as two errors and reports unreachable codes', () => {
    let unreachable = 0;
    const errors = new ErrorController(() => (unreachable += 1));
    errors.show({ code: 'FORBIDDEN', message: 'no' });
    const first = errors.getState()!.seq;
    errors.show({ code: 'FORBIDDEN', message: 'no' });
    expect(errors.getState()!.seq).toBe(first + 1);
    expect(unreachable).toBe(0);
    errors.show({ code: 'PLATFORM_UNREACHABLE', message: 'down' });
    expect(unreachable).toBe(1);
    errors.dismiss();
    expect(errors.getState()).toBeNull();
  });
});
