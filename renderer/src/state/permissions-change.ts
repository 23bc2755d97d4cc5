import type { Permission } from '../contract';

/** The session as a panel sees it: the signed-in role's permissions, and its changes. */
export interface SessionPermissionsSource {
  getState(): { session: { permissions: readonly Permission[] } | null };
  subscribe(listener: () => void): () => void;
}

/** Whether the signed-in role holds `permission` (the UI hides what it cannot do; the core refuses it anyway). */
export function hasPermission(session: SessionPermissionsSource, permission: Permission): boolean {
  return session.getState().session?.permissions.includes(permission) ?? false;
}

/**
 * Calls `onChange` when the permissions change (sign-in, sign-out, another role), not on every
 * change of the session's state: the connection and each background pass's sync status change it
 * too, and every panel re-rendering for them landed in the middle of a patient's paint (issue 12).
 * Returns the unsubscribe function.
 */
export function onPermissionsChange(session: SessionPermissionsSource, onChange: () => void): () => void {
  const key = (): string => session.getState().session?.permissions.join(' ') ?? '\u0000signed-out';
  let last = key();
  return session.subscribe(() => {
    const next = key();
    if (next === last) return;
    last = next;
    onChange();
  });
}
