import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ComposerSlot } from './features/journal/ComposerSlot';
import { ErrorBanner } from './ui/ErrorBanner';
import { IdentityConfirmDialog } from './features/identity/IdentityConfirmDialog';
import { JournalToolbar } from './features/journal/JournalToolbar';
import { LgcOffer } from './features/patients/LgcOffer';
import { PractitionerWarning } from './features/patients/PractitionerWarning';
import { PatientChoiceDialog } from './features/identity/PatientChoiceDialog';
import { PatientHeader } from './app/PatientHeader';
import { ShortcutsSheet } from './app/ShortcutsSheet';
import { isTextField, shortcutOf, type ShortcutAction } from './app/shortcuts';
import { useWidthClass } from './app/width';
import { ChartHoldNotice, DiscrepancyMarker, useChartHold } from './features/identity/ChartHold';
import { AlertStrip } from './features/alerts/AlertStrip';
import { CurrentPatientContext } from './ui/DialogPatient';
import { ChartHeldContext } from './ui/chart-held';
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
import type { Permission, RelaisClient } from './contract';
import { fr } from './i18n/fr';
import type { WindowControllers } from './app/controllers';
import { onlineIndicator } from './features/session/controller';
import type { FlowController } from './features/flow/controller';
import { TodoButton, TodoView } from './features/flow/TodoView';
import { CreateTaskDialog, TaskCreatedNotice, UnreadBadge } from './features/flow/CreateTaskDialog';
import { ClinicalHeader } from './features/clinical-header/ClinicalHeader';
import { useRefusedEdit } from './app/refused-edit';

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
  flow,
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
  /** « À traiter », unread badges, « Créer une tâche » (issue 15); optional so tests can render without. */
  flow?: FlowController;
}) {
  const { session: sessionCtl, patients: patientsCtl, identity: identityCtl, journal: journalCtl, drafts, outbox: outboxCtl, errors } = app;
  // Read field by field: the background pass's progress (syncStatus) changes the session state
  // many times a pass and must not redraw the whole window (the top bar reads it, issue 12).
  const session = useSyncExternalStore(sessionCtl.subscribe, () => sessionCtl.getState().session);
  const platformOnline = useSyncExternalStore(sessionCtl.subscribe, () => sessionCtl.getState().platformOnline);
  const indicator = useSyncExternalStore(sessionCtl.subscribe, () => onlineIndicator(sessionCtl.getState()));
  const { patients, patientsLoading, openingPatientId, patient, lgcOffer, practitionerWarning } = useSyncExternalStore(patientsCtl.subscribe, patientsCtl.getState);
  const { identityCheck, selection, confirmedDiscrepancies } = useSyncExternalStore(identityCtl.subscribe, identityCtl.getState);
  const chartHold = useChartHold(client, patient);
  const { journal, filter, facets } = useSyncExternalStore(journalCtl.subscribe, journalCtl.getState);
  const outbox = useSyncExternalStore(outboxCtl.subscribe, outboxCtl.getState);
  const error = useSyncExternalStore(errors.subscribe, errors.getState);
  const noLock = useCallback(() => () => {}, []);
  const lockState = useSyncExternalStore(lock?.subscribe ?? noLock, lock?.getState ?? (() => null));
  // Locked: patient content is unmounted (not just hidden); an expired token keeps it on screen.
  const hidden = lockState !== null && lockState.reason !== 'token-expired';
  const [media, setMedia] = useState<ViewedMedia | null>(null);
  const closeMedia = useCallback(() => setMedia(null), []);
  // « Journal des accès » replaces the journal layout while open (top bar button).
  const [screen, setScreen] = useState<'journal' | 'audit' | 'todo'>('journal');

  const appRef = useRef<HTMLDivElement>(null);
  const width = useWidthClass(appRef);
  // Below the wide layout the patient list is a drawer; at panel width the chart shows either
  // the journal or the panels (tabs under the banner), journal first.
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [view, setView] = useState<'journal' | 'panels'>('journal');
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [unreadSignal, setUnreadSignal] = useState(0);
  const [jumpRequest, setJumpRequest] = useState<{ entryId: string; n: number } | null>(null);
  // « Voir le message » on a task: the journal (its tab at panel width) shows the entry.
  const showEntry = useCallback((entryId: string) => {
    setView('journal');
    setJumpRequest((prev) => ({ entryId, n: (prev?.n ?? 0) + 1 }));
  }, []);
  const drawer = width !== 'wide';
  const can = (permission: Permission): boolean => session?.permissions.includes(permission) ?? false;
  const canPrescribe = Boolean(prescriptions && can('prescription.write'));

  const focusSoon = (selector: string) => requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
  // « Modifier » on a refused post: its text comes back into the composer (after what is typed).
  const editRefused = async (clientId: string) => {
    const text = await outboxCtl.discard(clientId);
    if (text === null) return;
    const current = drafts.getState().draft?.text ?? '';
    if (text) drafts.setDraftText(current ? `${current}\n${text}` : text);
    focusSoon('[data-testid="draft-text"]');
  };
  const refusedEdit = useRefusedEdit({
    outbox,
    patient,
    editPost: editRefused,
    referrals,
    agenda,
    prescriptions,
    canPrescribe,
    canRequestAdmission: can('admission.manage'),
    canRefer: can('referral.write'),
  });
  // Opening from the drawer hides the list that had the focus: hand it to the journal.
  const openPatient = (p: Parameters<typeof patientsCtl.openPatient>[0]) => {
    const fromDrawer = drawer;
    setDrawerOpen(false);
    const opened = patientsCtl.openPatient(p);
    if (fromDrawer) void Promise.resolve(opened).then(() => focusSoon('[data-testid="journal"]'));
    return opened;
  };

  const runShortcut = (action: ShortcutAction): boolean => {
    switch (action) {
      case 'help':
        setShortcutsOpen(true);
        return true;
      case 'lock':
        if (!lock || lockState) return false;
        void lock.lockNow();
        return true;
      case 'patients':
        if (drawer) setDrawerOpen(true);
        focusSoon('.sidebar .search-input');
        return true;
      default:
        break;
    }
    // A held chart is read-only until the GP chooses: no shortcut reopens a form on it.
    if (!patient || hidden || screen !== 'journal' || chartHold.held) return false;
    switch (action) {
      case 'search':
        setView('journal');
        focusSoon('[data-testid="journal-search"]');
        return true;
      case 'message':
        setView('journal');
        focusSoon('[data-testid="draft-text"]');
        return true;
      case 'nextUnread':
        setView('journal');
        setUnreadSignal((n) => n + 1);
        return true;
      case 'ordonnance':
        if (!prescriptions || !canPrescribe) return false;
        void prescriptions.openFor(patient);
        return true;
      case 'panels':
        if (!panels) return false;
        setView('panels');
        focusSoon('.panels [role="tab"][aria-selected="true"], .panels .panel-title');
        return true;
    }
  };
  const drawerOpenRef = useRef(drawerOpen);
  useEffect(() => {
    drawerOpenRef.current = drawerOpen;
    if (drawerOpen) requestAnimationFrame(() => document.querySelector<HTMLElement>('.sidebar .search-input')?.focus());
  }, [drawerOpen]);
  const runShortcutRef = useRef(runShortcut);
  useEffect(() => {
    runShortcutRef.current = runShortcut;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      if (e.key === 'Escape' && drawerOpenRef.current) {
        setDrawerOpen(false);
        return;
      }
      // A modal dialog is open: its own keys only (the page behind is inert anyway).
      if (document.querySelector('dialog[open]') && e.key !== 'F1') return;
      const action = shortcutOf({ key: e.key, code: e.code, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, inTextField: isTextField(e.target) });
      if (action && runShortcutRef.current(action)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const layoutClass = [
    'layout',
    panels && patient ? 'layout--with-panels' : '',
    patient ? '' : 'layout--no-patient',
    drawerOpen && drawer ? 'layout--drawer-open' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <CurrentPatientContext.Provider value={patient}>
    <div className="app" ref={appRef} data-width={width}>
      <TopBar
        session={session}
        indicator={indicator}
        sync={sessionCtl}
        onFollowLgc={sessionCtl.setFollowLgc}
        {...(drawer && !hidden && screen === 'journal' && patient ? { onOpenPatients: () => setDrawerOpen(!drawerOpen), patientsOpen: drawerOpen } : {})}
        onOpenShortcuts={() => setShortcutsOpen(true)}
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
      {!hidden && flow && screen === 'todo' && (
        <TodoView controller={flow} onClose={() => setScreen('journal')} onOpenPatient={(p) => { setScreen('journal'); void patientsCtl.openPatient(p); }} />
      )}
      {!hidden && screen === 'journal' && (
        <ChartHeldContext.Provider value={chartHold.held}>
          {patient && chartHold.reason && <ChartHoldNotice patient={patient} reason={chartHold.reason} error={chartHold.error} onKeep={chartHold.release} />}
          <div className={layoutClass} data-view={view}>
            {drawerOpen && drawer && patient && <div className="drawer-backdrop" aria-hidden="true" onClick={() => setDrawerOpen(false)} />}
            <nav className="sidebar" id="patient-drawer" aria-label={fr.patients.navLabel}>
              {drawerOpen && drawer && patient && (
                <button type="button" className="button button-small button-quiet drawer-close" onClick={() => setDrawerOpen(false)}>
                  {fr.layout.closeDrawer}
                </button>
              )}
              <PatientList
                patients={patients}
                loading={patientsLoading}
                openingId={openingPatientId}
                currentId={patient?.id ?? null}
                onOpen={openPatient}
                {...(flow ? { badge: (p) => <UnreadBadge controller={flow} patientId={p.id} />, header: <TodoButton controller={flow} open={false} onToggle={() => setScreen('todo')} /> } : {})}
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
                  <PatientHeader
                    patient={patient}
                    alerts={
                      <>
                        <DiscrepancyMarker discrepancies={confirmedDiscrepancies[patient.id]} />
                        {client && <AlertStrip client={client} patientId={patient.id} canHandle={can('journal.write')} />}
                      </>
                    }
                    {...(client ? { clinical: <ClinicalHeader client={client} patientId={patient.id} /> } : {})}
                    actions={
                      <>
                        {prescriptions && canPrescribe && <PrescriptionButton onOpen={() => void prescriptions.openFor(patient)} />}
                        {referrals && can('referral.write') && <ReferralButton onOpen={referrals.openDialog} />}
                      </>
                    }
                  />
                  {panels && (
                    <div className="view-tabs" role="tablist" aria-label={fr.layout.views}>
                      <button type="button" role="tab" id="view-tab-journal" aria-selected={view === 'journal'} aria-controls="journal-area" className="view-tab" onClick={() => setView('journal')}>
                        {fr.layout.viewJournal}
                      </button>
                      <button
                        type="button"
                        role="tab"
                        id="view-tab-panels"
                        aria-selected={view === 'panels'}
                        aria-controls="patient-panels"
                        className="view-tab"
                        title={fr.layout.viewPanelsTitle}
                        onClick={() => setView('panels')}
                        data-testid="view-panels"
                      >
                        {fr.layout.viewPanels}
                      </button>
                    </div>
                  )}
                  {flow && <TaskCreatedNotice controller={flow} />}
                </>
              ) : (
                <section className="no-patient" aria-labelledby="no-patient-title">
                  <h2 id="no-patient-title" className="section-title">
                    {fr.identity.noPatient}
                  </h2>
                  <p className="muted">{fr.identity.noPatientHint}</p>
                </section>
              )}
              <div className="journal-area" id="journal-area" {...(width === 'panel' && panels && patient ? { role: 'tabpanel', 'aria-labelledby': 'view-tab-journal' } : {})}>
                {patient && (
                  <ComposerSlot
                    drafts={drafts}
                    patientId={patient.id}
                    outbox={outbox}
                    offline={platformOnline === false}
                    onRetry={(id) => void outboxCtl.retry(id)}
                    onEdit={(id) => void refusedEdit.edit(id)}
                    editableKinds={refusedEdit.editableKinds}
                    audienceDefault={defaultAudience(session?.professional.profession.code, can('journal.read-medical'))}
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
                    nextUnreadSignal={unreadSignal}
                    jumpRequest={jumpRequest}
                    {...(flow && can('task.update') ? { onCreateTask: flow.openTaskDialog } : {})}
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
              </div>
            </main>
            {panels && patient && <div className={`chart-held-contents${chartHold.held ? ' chart-held-contents--on' : ''}`} inert={chartHold.held}><PanelsColumn controller={panels} ppsEdit={ppsEdit && can('pps.edit') ? ppsEdit : null} medical={can('journal.read-medical')} {...(agenda ? { agenda } : {})} {...(referrals ? { referrals } : {})} onShowEntry={showEntry} /></div>}
          </div>
          {panels && <AlertToasts controller={panels} floatingEnable={!patient} />}
          <MediaViewer media={media} onClose={closeMedia} />
          {prescriptions && <PrescriptionComposer controller={prescriptions} />}
          {flow && <CreateTaskDialog controller={flow} selfName={session ? `${session.professional.givenName} ${session.professional.familyName}` : null} />}
          <IdentityConfirmDialog check={identityCheck} onAnswer={identityCtl.answerIdentityCheck} />
          <PatientChoiceDialog selection={selection} onAnswer={identityCtl.answerSelection} />
        </ChartHeldContext.Provider>
      )}
      <ShortcutsSheet open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
    </CurrentPatientContext.Provider>
  );
}
