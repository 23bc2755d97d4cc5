import { useState, useSyncExternalStore } from 'react';
import type { RelaisEvent, Session } from '../../contract';
import { fr } from '../../i18n/fr';
import type { OnlineIndicator } from './controller';

type SyncStatus = Extract<RelaisEvent, { type: 'sync-status' }>;

export interface SyncStatusSource {
  getState(): { syncStatus: SyncStatus | null };
  subscribe(listener: () => void): () => void;
}

function SyncProgress({ source }: { source: SyncStatusSource }) {
  const sync = useSyncExternalStore(source.subscribe, () => source.getState().syncStatus);
  if (sync?.state !== 'running' || sync.total <= 0) return null;
  return (
    <p className="sync-progress" data-testid="sync-progress">
      <progress max={sync.total} value={sync.done} aria-label={fr.sync.running(sync.done, sync.total)} />
      <span>{fr.sync.running(sync.done, sync.total)}</span>
    </p>
  );
}

export function TopBar({
  session,
  indicator,
  sync,
  onFollowLgc,
  onLock,
  onSignOut,
  onOpenAudit,
  auditOpen,
  onOpenPatients,
  patientsOpen,
  onOpenShortcuts,
}: {
  session: Session | null;
  indicator: OnlineIndicator;
  /** Where the background pass's progress is read (the session controller): read here, not by the window, so each progress step redraws this bar only. */
  sync?: SyncStatusSource;
  onFollowLgc?: (enabled: boolean) => void;
  /** Locks the session now (patient data hidden until the PIN is entered again). */
  onLock?: () => void;
  /** Closes the professional's session on this shared machine (back to the sign-in screen). */
  onSignOut?: () => void;
  /** Opens (or closes) the « Journal des accès » screen. */
  onOpenAudit?: () => void;
  auditOpen?: boolean;
  /** Below the wide layout the patient list is a drawer: this button opens it (Alt+P). */
  onOpenPatients?: () => void;
  patientsOpen?: boolean;
  /** « Raccourcis »: the keyboard shortcuts sheet (F1). */
  onOpenShortcuts?: () => void;
}) {
  const pro = session?.professional;
  // At panel width the secondary commands fold into « Menu » (CSS shows them inline otherwise).
  const [menuOpen, setMenuOpen] = useState(false);
  const statusText = fr.status[indicator];
  const statusTitle = fr.status[`${indicator}Title`];
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">
        {fr.app.skipToJournal}
      </a>
      {onOpenPatients && (
        <button
          type="button"
          className="topbar-button drawer-toggle"
          aria-expanded={patientsOpen ?? false}
          aria-controls="patient-drawer"
          title={fr.layout.patientsDrawerTitle}
          onClick={onOpenPatients}
          data-testid="drawer-toggle"
        >
          <span aria-hidden="true">☰ </span>
          {fr.layout.patientsDrawer}
        </button>
      )}
      <h1 className="app-name">
        {fr.app.name} <span className="app-tagline">{fr.app.tagline}</span>
      </h1>
      {session?.demo && (
        <span className="badge badge-demo" title={fr.app.demoTitle}>
          {fr.app.demo}
        </span>
      )}
      <div className="topbar-spacer" />
      <p className="professional">
        <span className="visually-hidden">{fr.professional.label} : </span>
        {pro ? (
          <>
            <span className="professional-name">
              {pro.givenName} {pro.familyName.toLocaleUpperCase('fr-FR')}
            </span>
            <span className="professional-role">{pro.roleLabel}</span>
            {pro.organization && <span className="professional-org">{pro.organization}</span>}
          </>
        ) : (
          <span className="professional-role">{session === null ? fr.app.loading : fr.professional.notSignedIn}</span>
        )}
      </p>
      {sync && <SyncProgress source={sync} />}
      <p className={`online-indicator online-indicator--${indicator}`} role="status" title={statusTitle}>
        <span className="online-dot" aria-hidden="true" />
        {statusText}
      </p>
      {onLock && (
        <button type="button" className="lock-now" onClick={onLock} data-testid="lock-now">
          {fr.lock.lockNow}
        </button>
      )}
      <button
        type="button"
        className="topbar-button topbar-menu-toggle"
        aria-expanded={menuOpen}
        aria-controls="topbar-more"
        onClick={() => setMenuOpen(!menuOpen)}
      >
        {fr.layout.menu}
      </button>
      <div className={`topbar-more${menuOpen ? ' topbar-more--open' : ''}`} id="topbar-more">
      {session && onFollowLgc && (
        <label className="follow-lgc" title={fr.lgc.followHint}>
          <input
            type="checkbox"
            checked={session.followLgc}
            onChange={(e) => onFollowLgc(e.target.checked)}
            data-testid="follow-lgc"
          />
          {fr.lgc.follow}
        </label>
      )}
      {onOpenShortcuts && (
        <button type="button" className="topbar-button shortcuts-open" onClick={onOpenShortcuts} title={fr.layout.shortcuts.openTitle} data-testid="shortcuts-open">
          {fr.layout.shortcuts.open}
        </button>
      )}
      {onOpenAudit && (
        <button
          type="button"
          className="audit-open"
          onClick={onOpenAudit}
          aria-pressed={auditOpen ?? false}
          title={fr.audit.openTitle}
          data-testid="audit-open"
        >
          {fr.audit.open}
        </button>
      )}
      {onSignOut && (
        <button type="button" className="signout" onClick={onSignOut} title={fr.signIn.signOutTitle} data-testid="sign-out">
          {fr.signIn.signOut}
        </button>
      )}
      </div>
    </header>
  );
}
