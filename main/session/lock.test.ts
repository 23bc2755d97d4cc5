import { describe, expect, it, vi } from 'vitest';
import { RelaisError, type RelaisEvent } from '../../contract';
import { PinError } from '../../native-bridges/card/types';
import { guardHandlers, SessionLock } from './lock';

function makeLock(unlocker: (pin: string) => Promise<void> = async () => {}, idleMs?: number) {
  const events: RelaisEvent[] = [];
  const lock = new SessionLock({ emit: (e) => events.push(e), unlocker, ...(idleMs ? { idleMs } : {}) });
  return { lock, events };
}

describe('session lock', () => {
  it('locks once, card removal outranks manual, unlock releases', async () => {
    const { lock, events } = makeLock();
    lock.lock('manual');
    lock.lock('manual');
    lock.lock('card-removed');
    lock.lock('idle');
    expect(events).toEqual([
      { type: 'session-locked', reason: 'manual' },
      { type: 'session-locked', reason: 'card-removed' },
    ]);
    expect(() => lock.assertUnlocked()).toThrow(expect.objectContaining({ code: 'CARD_REMOVED' }));
    await lock.unlock('1234');
    expect(lock.state).toEqual({ locked: false, reason: null });
    expect(events.at(-1)).toEqual({ type: 'session-unlocked' });
  });

  it('stays locked when the unlocker refuses (PIN_INCORRECT with tries left)', async () => {
    const { lock } = makeLock(async () => {
      throw new PinError('PIN_INCORRECT', 2);
    });
    lock.lock('idle');
    expect(() => lock.assertUnlocked()).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    await expect(lock.unlock('0000')).rejects.toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 2 });
    expect(lock.state.locked).toBe(true);
  });

  it('locks after the idle delay; activity postpones it', async () => {
    vi.useFakeTimers();
    try {
      const { lock, events } = makeLock(undefined, 1000);
      vi.advanceTimersByTime(800);
      lock.touch();
      vi.advanceTimersByTime(800);
      expect(lock.state.locked).toBe(false);
      vi.advanceTimersByTime(300);
      expect(events).toEqual([{ type: 'session-locked', reason: 'idle' }]);
      lock.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('guards every handler except session.*', async () => {
    const { lock } = makeLock();
    const handlers = {
      'session.current': async () => 'session',
      'patient.list': async () => ['p'],
    };
    guardHandlers(handlers, lock);
    lock.lock('card-removed');
    expect(await handlers['session.current']()).toBe('session');
    await expect(handlers['patient.list']()).rejects.toBeInstanceOf(RelaisError);
    await lock.unlock('1234');
    expect(await handlers['patient.list']()).toEqual(['p']);
  });
});
