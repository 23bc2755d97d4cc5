import { describe, expect, it } from 'vitest';
import type { RelaisErrorShape, Session } from '../../contract';
import type { ConnectionStatus } from '../../transport';
import { fail, fakeClient, ok } from '../../test-support/fake-client';
import { onlineIndicator, SessionController, type SessionState } from './controller';

const session = { online: true, followLgc: true, professional: { id: 'pr1' } } as unknown as Session;

function setup(handlers = {}) {
  const fake = fakeClient({ 'session.current': ok(session), ...handlers });
  let onStatus: (s: ConnectionStatus) => void = () => {};
  const errors: RelaisErrorShape[] = [];
  let reconnects = 0;
  const ctl = new SessionController(
    fake.client,
    { status: 'connecting', onStatus: (l) => ((onStatus = l), () => {}) },
    (e) => errors.push(e),
    () => (reconnects += 1),
  );
  return { ...fake, ctl, errors, status: (s: ConnectionStatus) => onStatus(s), reconnects: () => reconnects };
}

describe('SessionController', () => {
  it('re-reads what was missed only when the socket comes back after being down', () => {
    const s = setup();
    s.status('open');
    expect(s.reconnects()).toBe(1);
    s.status('open');
    expect(s.reconnects()).toBe(1);
    s.status('closed');
    s.status('open');
    expect(s.reconnects()).toBe(2);
  });

  it('ticks « Suivre le logiciel » at once and unticks it when the core refuses', async () => {
    const s = setup({ 'settings.followLgc': fail('FORBIDDEN') });
    await s.ctl.load();
    const pending = s.ctl.setFollowLgc(false);
    expect(s.ctl.getState().session?.followLgc).toBe(false);
    await pending;
    expect(s.ctl.getState().session?.followLgc).toBe(true);
    expect(s.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  });

  it('follows the platform through sync events: offline, back, an unreachable sync failure', async () => {
    const s = setup();
    s.status('open');
    await s.ctl.load();
    expect(onlineIndicator(s.ctl.getState())).toBe('online');
    s.emit({ type: 'sync-status', state: 'offline', done: 0, total: 3, lastCompleteAt: null });
    expect(onlineIndicator(s.ctl.getState())).toBe('offline');
    s.emit({ type: 'journal-updated', patientId: 'p1', entries: [], total: 0, syncedAt: 'x' });
    expect(s.ctl.getState().platformOnline).toBe(true);
    s.emit({ type: 'sync-failed', patientId: 'p1', error: { code: 'PLATFORM_ERROR', message: '500' } });
    expect(s.ctl.getState().platformOnline).toBe(true);
    s.emit({ type: 'sync-failed', patientId: 'p1', error: { code: 'PLATFORM_UNREACHABLE', message: 'down' } });
    expect(s.ctl.getState().platformOnline).toBe(false);
  });
});

describe('onlineIndicator', () => {
  const base: SessionState = { connection: 'open', browserOnline: true, platformOnline: null, session: null, syncStatus: null };
  it('puts the socket first, then the browser, then the platform', () => {
    expect(onlineIndicator({ ...base, connection: 'connecting', browserOnline: false })).toBe('connecting');
    expect(onlineIndicator({ ...base, browserOnline: false, platformOnline: true })).toBe('offline');
    expect(onlineIndicator({ ...base, platformOnline: false })).toBe('offline');
    expect(onlineIndicator({ ...base, session: { ...session, online: false } })).toBe('offline');
    expect(onlineIndicator({ ...base, platformOnline: true, session: { ...session, online: false } })).toBe('online');
  });
});
