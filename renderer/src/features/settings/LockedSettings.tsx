import type { AuthStatus } from '../../contract';
import { fr } from '../../i18n/fr';

/**
 * What the machine policy decides on this computer (issue 16, item 3): the locked settings by
 * name, and the policy's errors (a bad key named with what it expects). Nothing when no policy.
 */
export function LockedSettings({ policy }: { policy: AuthStatus['machinePolicy'] }) {
  if (!policy || (policy.locked.length === 0 && policy.problems.length === 0)) return null;
  const t = fr.settings;
  return (
    <section className="locked-settings" aria-label={t.lockedTitle} data-testid="locked-settings">
      {policy.locked.length > 0 && (
        <>
          <h2>{t.lockedTitle}</h2>
          <p className="muted">{t.lockedHint}</p>
          <ul>
            {policy.locked.map((key) => (
              <li key={key} data-setting={key}>
                <span aria-hidden="true">🔒 </span>
                {t.keys[key] ?? key} <span className="visually-hidden">({t.lockedBadge})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {policy.problems.length > 0 && (
        <div role="alert">
          <h2>{t.problemsTitle}</h2>
          <ul>
            {policy.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The sign-in screen's line while the platform does not answer (the shell retries on its own). */
export function PlatformUnreachable({ status }: { status: AuthStatus }) {
  if (!status.platformUnreachable) return null;
  return (
    <p className="signin-error" role="status" data-testid="platform-unreachable">
      {fr.settings.platformUnreachable}
    </p>
  );
}
