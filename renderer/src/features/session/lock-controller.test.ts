import { describe, expect, it } from 'vitest';
import { fail, fakeClient, flush, ok } from '../../test-support/fake-client';
import { LockController } from './lock-controller';

function setup(handlers = {}) {
  const fake = fakeClient({ 'session.current': ok({ locked: false }), ...handlers });
  const log: string[] = [];
  const ctl = new LockController(fake.client, () => log.push('flush'), () => log.push('reload'));
  return { ...fake, ctl, log };
}

describe('LockController', () => {
  it('saves the draft before a lock shows, keeps the tries left on a wrong PIN, reloads after unlocking', async () => {
    const s = setup({ 'session.unlock': fail('PIN_INCORRECT', 'wrong', { triesLeft: 2 }) });
    s.emit({ type: 'session-locked', reason: 'card-removed' });
    expect(s.log).toEqual(['flush']);
    expect(s.ctl.getState()).toEqual({ reason: 'card-removed', unlocking: false, error: null });
    const pending = s.ctl.unlock('0000');
    expect(s.ctl.getState()?.unlocking).toBe(true);
    await pending;
    expect(s.ctl.getState()).toMatchObject({ unlocking: false, error: { code: 'PIN_INCORRECT', triesLeft: 2 } });
    expect(JSON.stringify(s.ctl.getState())).not.toContain('0000');
    s.handlers['session.unlock'] = ok(null);
    await s.ctl.unlock('1234');
    expect(s.ctl.getState()).toBeNull();
    expect(s.log).toEqual(['flush', 'reload']);
  });

  it('asks for the PIN when the token expires, without replacing a real lock', () => {
    const s = setup();
    s.emit({ type: 'sign-in-required', reason: 'token-expired' });
    expect(s.ctl.getState()?.reason).toBe('token-expired');
    s.emit({ type: 'session-locked', reason: 'idle' });
    s.emit({ type: 'sign-in-required', reason: 'token-expired' });
    expect(s.ctl.getState()?.reason).toBe('idle');
    s.emit({ type: 'session-unlocked' });
    expect(s.ctl.getState()).toBeNull();
  });

  it('opens locked when the window starts on a locked session', async () => {
    const s = setup({ 'session.current': ok({ locked: true, lockReason: 'manual' }) });
    await flush();
    expect(s.ctl.getState()?.reason).toBe('manual');
    s.ctl.dispose();
    expect(s.listenerCount()).toBe(0);
  });
});
