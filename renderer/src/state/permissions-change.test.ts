import { describe, expect, it } from 'vitest';
import type { Permission } from '../contract';
import { fakeSource } from '../test-support/fake-client';
import { onPermissionsChange } from './permissions-change';

type Session = { permissions: Permission[] } | null;

describe('onPermissionsChange', () => {
  it('calls back when the permissions change, not when the sync status or the connection does', () => {
    const session = fakeSource<{ session: Session; syncStatus: string | null; connection: string }>({ session: null, syncStatus: null, connection: 'open' });
    let calls = 0;
    const stop = onPermissionsChange(session, () => calls++);
    session.set({ syncStatus: 'running' });
    session.set({ connection: 'reconnecting' });
    expect(calls).toBe(0);
    session.set({ session: { permissions: ['patient.read', 'journal.write'] } });
    expect(calls).toBe(1);
    // The same role signed in again (a new session object): nothing to redraw.
    session.set({ session: { permissions: ['patient.read', 'journal.write'] }, syncStatus: 'idle' });
    expect(calls).toBe(1);
    session.set({ session: { permissions: ['patient.read'] } });
    session.set({ session: null });
    expect(calls).toBe(3);
    stop();
    session.set({ session: { permissions: ['patient.read'] } });
    expect(calls).toBe(3);
  });
});
