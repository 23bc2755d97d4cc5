import { useCallback, useState, useSyncExternalStore } from 'react';
import { DraftComposer } from './features/journal/DraftComposer';
import { ErrorBanner } from './ui/ErrorBanner';
import { IdentityConfirmDialog } from './features/identity/IdentityConfirmDialog';
import { JournalToolbar } from './features/journal/JournalToolbar';
import { LgcOffer } from './features/patients/LgcOffer';
import { PractitionerWarning } from './features/patients/PractitionerWarning';
import { PatientChoiceDialog } from './features/identity/PatientChoiceDialog';
import { IdentityBanner } from './features/identity/IdentityBanner';
import { ChartHoldNotice, DiscrepancyMarker, useChartHold } from './features/identity/ChartHold';
import { AlertStrip } from './features/alerts/AlertStrip';
import { CurrentPatientContext } from './ui/DialogPatient';
import { defaultAudience } from './features/journal/AudienceChoice';
import './safety.css';
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
import type { WindowControllers } from './app/controllers';
import { onlineIndicator } from './features/session/controller';

export function App({
  app,
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
  /** Session, patient on screen, identity, journal, draft, outbox and error banner (app/controllers.ts). */
  app: WindowControllers;
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
  const { session: sessionCtl, patients: patientsCtl, identity: identityCtl, journal: journalCtl, drafts, outbox: outboxCtl, errors } = app;
  const sessionState = useSyncExternalStore(sessionCtl.subscribe, sessionCtl.getState);
  const { session, syncStatus, platformOnline } = sessionState;
  const { patients, patientsLoading, openingPatientId, patient, lgcOffer, practitionerWarning } = useSyncExternalStore(patientsCtl.subscribe, patientsCtl.getState);
  const { identityCheck, selection, confirmedDiscrepancies } = useSyncExternalStore(identityCtl.subscribe, identityCtl.getState);
  const chartHold = useChartHold(client, patient);
  const { journal, filter, facets } = useSyncExternalStore(journalCtl.subscribe, journalCtl.getState);
  const { draft, replyTo, posting } = useSyncExternalStore(drafts.subscribe, drafts.getState);
  const outbox = useSyncExternalStore(outboxCtl.subscribe, outboxCtl.getState);
  const error = useSyncExternalStore(errors.subscribe, errors.getState);
  const noLock = useCallback(() => () => {}, []);
  const lockState = useSyncExternalStore(lock?.subscribe ?? noLock, lock?.getState ?? (() => null));
  // Locked: patient content is unmounted (not just hidden); an expired token keeps it on screen.
  const hidden = lockState !== null && lockState.reason !== 'token-expired';
  const [media, setMedia] = useState<ViewedMedia | null>(null);
  const closeMedia = useCallback(() => setMedia(null), []);
  // « Journal des accès » replaces the journal layout while open (top bar button).
  const [screen, setScreen] = useState<'journal' | 'audit'>('journal');

  return (
    <CurrentPatientContext.Provider value={patient}>
    <div className="app">
      <TopBar
        session={session}
        indicator={onlineIndicator(sessionState)}
        sync={syncStatus}
        onFollowLgc={sessionCtl.setFollowLgc}
        {...(client && !lockState ? { onOpenAudit: () => setScreen(screen === 'audit' ? 'journal' : 'audit'), auditOpen: screen === 'audit' } : {})}
        {...(lock && !lockState ? { onLock: () => void lock.lockNow() } : {})}
        {...(onSignOut && !lockState ? { onSignOut } : {})}
      />
      {lock && lockState && (
        <SignInPanel
          lock={lockState}
          demo={session?.demo ?? true}
          onUnlock={lock.unlock}
          {...(session?.method === 'psc' ? { onReconnectPsc: () => void lock.reconnectPsc() } : {})}
        />
      )}
      {!hidden && client && screen === 'audit' && (
        <AuditScreen client={client} patients={patients ?? []} onClose={() => setScreen('journal')} />
      )}
      {!hidden && screen === 'journal' && (
        <>
          {patient && chartHold.reason && <ChartHoldNotice patient={patient} reason={chartHold.reason} error={chartHold.error} onKeep={chartHold.release} />}
          <div className={`layout${panels && patient ? ' layout--with-panels' : ''}`}>
            <nav className="sidebar" aria-label={fr.patients.navLabel}>
              <PatientList
                patients={patients}
                loading={patientsLoading}
                openingId={openingPatientId}
                currentId={patient?.id ?? null}
                onOpen={patientsCtl.openPatient}
              />
            </nav>
            <main className={`main${chartHold.held ? ' chart-held' : ''}`} id="main" tabIndex={-1} inert={chartHold.held} data-held={chartHold.held ? 'true' : undefined}>
              {error && <ErrorBanner shown={error} onDismiss={errors.dismiss} />}
              {lgcOffer && (
                <LgcOffer offer={lgcOffer} onOpen={patientsCtl.openLgcOffer} onIgnore={patientsCtl.dismissLgcOffer} />
              )}
              {patient ? (
                <>
                  {practitionerWarning?.patientId === patient.id && (
                    <PractitionerWarning launchedRpps={practitionerWarning.launchedRpps} onDismiss={patientsCtl.dismissPractitionerWarning} />
                  )}
                  <IdentityBanner patient={patient} />
                  <DiscrepancyMarker discrepancies={confirmedDiscrepancies[patient.id]} />
                  {client && <AlertStrip client={client} patientId={patient.id} canHandle={session?.permissions.includes('journal.write') ?? false} />}
                  <div className="patient-actions">
                    {prescriptions && session?.permissions.includes('prescription.write') && (
                      <PrescriptionButton onOpen={() => void prescriptions.openFor(patient)} />
                    )}
                    {referrals && session?.permissions.includes('referral.write') && <ReferralButton onOpen={referrals.openDialog} />}
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
              {patient && draft && draft.patientId === patient.id && (
                <DraftComposer
                  draft={draft}
                  onChange={drafts.setDraftText}
                  onBlur={drafts.flushDraft}
                  onPost={drafts.post}
                  posting={posting}
                  replyTo={replyTo}
                  onCancelReply={() => drafts.setReplyTo(null)}
                  outbox={outbox}
                  offline={platformOnline === false}
                  audienceDefault={defaultAudience(session?.professional.profession.code, session?.permissions.includes('journal.read-medical') ?? false)}
                />
              )}
              {journal && (
                <Journal
                  key={journal.patientId}
                  journal={journal}
                  mediaUrl={mediaUrl}
                  onLoadMore={journalCtl.loadMore}
                  onOpenMedia={setMedia}
                  offline={platformOnline === false}
                  onTogglePin={journalCtl.togglePin}
                  onReply={drafts.setReplyTo}
                  onAcknowledge={journalCtl.acknowledgeAlert}
                  toolbar={
                    <JournalToolbar
                      key={journal.patientId}
                      filter={filter}
                      facets={facets}
                      total={journal.total}
                      onChange={journalCtl.setFilter}
                    />
                  }
                />
              )}
            </main>
            {panels && patient && <div className={`chart-held-contents${chartHold.held ? ' chart-held-contents--on' : ''}`} inert={chartHold.held}><PanelsColumn controller={panels} ppsEdit={ppsEdit && session?.permissions.includes('pps.edit') ? ppsEdit : null} medical={session?.permissions.includes('journal.read-medical') ?? false} {...(agenda ? { agenda } : {})} {...(referrals ? { referrals } : {})} /></div>}
          </div>
          {panels && <AlertToasts controller={panels} floatingEnable={!patient} />}
          <MediaViewer media={media} onClose={closeMedia} />
          {prescriptions && <PrescriptionComposer controller={prescriptions} />}
          <IdentityConfirmDialog check={identityCheck} onAnswer={identityCtl.answerIdentityCheck} />
          <PatientChoiceDialog selection={selection} onAnswer={identityCtl.answerSelection} />
        </>
      )}
    </div>
    </CurrentPatientContext.Provider>
  );
}
