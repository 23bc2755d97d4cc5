import { useCallback, useState, useSyncExternalStore } from 'react';
import { DraftComposer } from './features/journal/DraftComposer';
import { ErrorBanner } from './ui/ErrorBanner';
import { IdentityConfirmDialog } from './features/identity/IdentityConfirmDialog';
import { JournalToolbar } from './features/journal/JournalToolbar';
import { LgcOffer } from './features/patients/LgcOffer';
import { PatientChoiceDialog } from './features/identity/PatientChoiceDialog';
import { IdentityBanner } from './features/identity/IdentityBanner';
import { Journal } from './features/journal/Journal';
import { MediaViewer, type ViewedMedia } from './ui/MediaViewer';
import { PatientList } from './features/patients/PatientList';
import { TopBar } from './features/session/TopBar';
import { SignInPanel } from './features/session/SignInPanel';
import type { LockController } from './features/session/lock-controller';
import { AlertToasts } from './features/panels/AlertToasts';
import { PanelsColumn } from './features/panels/PanelsColumn';
import type { PanelsController } from './features/panels/controller';
import type { PrescriptionController } from './features/prescription/controller';
import { PrescriptionButton, PrescriptionComposer } from './features/prescription/Composer';
import type { PpsEditController } from './features/pps/controller';
import type { AgendaController } from './features/agenda/controller';
import type { ReferralController } from './features/referral/controller';
import { ReferralButton } from './features/referral/ReferralButton';
import { AuditScreen } from './features/audit/AuditScreen';
import type { RelaisClient } from './contract';
import { fr } from './i18n/fr';
import { onlineIndicator, type RelaisStore } from './state/store';

export function App({
  store,
  mediaUrl,
  panels,
  lock,
  ppsEdit,
  agenda,
  referrals,
  client,
  onSignOut,
  prescriptions,
}: {
  store: RelaisStore;
  mediaUrl: (src: string) => string;
  /** Panels beside the journal and alerts (issue 5); optional so tests can render without. */
  panels?: PanelsController;
  /** Session lock (card removed, idle, manual, token expired); optional so tests can render without. */
  lock?: LockController;
  /** Sign out of this shared install (the window then reloads on the sign-in screen). */
  onSignOut?: () => void;
  /** « Modifier le PPS » (shown only when the session has pps.edit). */
  ppsEdit?: PpsEditController;
  /** Appointments and admission requests (actions shown by permission). */
  agenda?: AgendaController;
  /** Referrals (« Adresser » shown only with referral.write; the list to every role). */
  referrals?: ReferralController;
  /** The typed API, for screens that own their data (« Journal des accès »). */
  client?: RelaisClient;
  /** E-prescription composer; shown only when the session has prescription.write. */
  prescriptions?: PrescriptionController;
}) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const noLock = useCallback(() => () => {}, []);
  const lockState = useSyncExternalStore(lock?.subscribe ?? noLock, lock?.getState ?? (() => null));
  // Locked: patient content is unmounted (not just hidden); an expired token keeps it on screen.
  const hidden = lockState !== null && lockState.reason !== 'token-expired';
  const [media, setMedia] = useState<ViewedMedia | null>(null);
  const closeMedia = useCallback(() => setMedia(null), []);
  // « Journal des accès » replaces the journal layout while open (top bar button).
  const [screen, setScreen] = useState<'journal' | 'audit'>('journal');

  return (
    <div className="app">
      <TopBar
        session={state.session}
        indicator={onlineIndicator(state)}
        sync={state.syncStatus}
        onFollowLgc={store.setFollowLgc}
        {...(client && !lockState ? { onOpenAudit: () => setScreen(screen === 'audit' ? 'journal' : 'audit'), auditOpen: screen === 'audit' } : {})}
        {...(lock && !lockState ? { onLock: () => void lock.lockNow() } : {})}
        {...(onSignOut && !lockState ? { onSignOut } : {})}
      />
      {lock && lockState && (
        <SignInPanel
          lock={lockState}
          demo={state.session?.demo ?? true}
          onUnlock={lock.unlock}
          {...(state.session?.method === 'psc' ? { onReconnectPsc: () => void lock.reconnectPsc() } : {})}
        />
      )}
      {!hidden && client && screen === 'audit' && (
        <AuditScreen client={client} patients={state.patients ?? []} onClose={() => setScreen('journal')} />
      )}
      {!hidden && screen === 'journal' && (
        <>
          <div className={`layout${panels && state.patient ? ' layout--with-panels' : ''}`}>
            <nav className="sidebar" aria-label={fr.patients.navLabel}>
              <PatientList
                patients={state.patients}
                loading={state.patientsLoading}
                openingId={state.openingPatientId}
                currentId={state.patient?.id ?? null}
                onOpen={store.openPatient}
              />
            </nav>
            <main className="main" id="main" tabIndex={-1}>
              {state.error && <ErrorBanner shown={state.error} onDismiss={store.dismissError} />}
              {state.lgcOffer && (
                <LgcOffer offer={state.lgcOffer} onOpen={store.openLgcOffer} onIgnore={store.dismissLgcOffer} />
              )}
              {state.patient ? (
                <>
                  <IdentityBanner patient={state.patient} />
                  <div className="patient-actions">
                    {prescriptions && state.session?.permissions.includes('prescription.write') && (
                      <PrescriptionButton onOpen={() => state.patient && void prescriptions.openFor(state.patient)} />
                    )}
                    {referrals && state.session?.permissions.includes('referral.write') && <ReferralButton onOpen={referrals.openDialog} />}
                  </div>
                </>
              ) : (
                <section className="no-patient" aria-labelledby="no-patient-title">
                  <h2 id="no-patient-title" className="section-title">
                    {fr.identity.noPatient}
                  </h2>
                  <p className="muted">{fr.identity.noPatientHint}</p>
                </section>
              )}
              {state.patient && state.draft && state.draft.patientId === state.patient.id && (
                <DraftComposer
                  draft={state.draft}
                  onChange={store.setDraftText}
                  onBlur={store.flushDraft}
                  onPost={store.post}
                  posting={state.posting}
                  replyTo={state.replyTo}
                  onCancelReply={() => store.setReplyTo(null)}
                  outbox={state.outbox}
                  offline={state.platformOnline === false}
                />
              )}
              {state.journal && (
                <Journal
                  key={state.journal.patientId}
                  journal={state.journal}
                  mediaUrl={mediaUrl}
                  onLoadMore={store.loadMore}
                  onOpenMedia={setMedia}
                  offline={state.platformOnline === false}
                  onTogglePin={store.togglePin}
                  onReply={store.setReplyTo}
                  onAcknowledge={store.acknowledgeAlert}
                  toolbar={
                    <JournalToolbar
                      key={state.journal.patientId}
                      filter={state.filter}
                      facets={state.facets}
                      total={state.journal.total}
                      onChange={store.setFilter}
                    />
                  }
                />
              )}
            </main>
            {panels && state.patient && <PanelsColumn controller={panels} ppsEdit={ppsEdit && state.session?.permissions.includes('pps.edit') ? ppsEdit : null} medical={state.session?.permissions.includes('journal.read-medical') ?? false} {...(agenda ? { agenda } : {})} {...(referrals ? { referrals } : {})} />}
          </div>
          {panels && <AlertToasts controller={panels} floatingEnable={!state.patient} />}
          <MediaViewer media={media} onClose={closeMedia} />
          {prescriptions && <PrescriptionComposer controller={prescriptions} />}
          <IdentityConfirmDialog check={state.identityCheck} onAnswer={store.answerIdentityCheck} />
          <PatientChoiceDialog selection={state.selection} onAnswer={store.answerSelection} />
        </>
      )}
    </div>
  );
}
