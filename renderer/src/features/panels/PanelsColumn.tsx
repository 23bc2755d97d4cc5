import type React from 'react';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { errorMessage, fr } from '../../i18n/fr';
import type { AgendaController } from '../agenda/controller';
import type { PanelsController } from './controller';
import { AdmissionsPanel } from '../agenda/AdmissionsPanel';
import { AgendaDialogs } from '../agenda/AgendaDialogs';
import { ReferralDialogHost, ReferralsPanelHost } from '../referral/ReferralHosts';
import type { ReferralController } from '../referral/controller';
import type { PpsEditController } from '../pps/controller';
import { AppointmentsPanel } from '../agenda/AppointmentsPanel';
import { CareTeamPanel } from './CareTeamPanel';
import { fmtStamp } from '../../ui/dates';
import { NotificationsButton } from './AlertToasts';
import { PpsPanel } from '../pps/PpsPanel';
import { TasksPanel } from './TasksPanel';
import { TreatmentsPanel } from './TreatmentsPanel';
import { SupportSlot } from '../support-request/SupportSlot';
import { StaysSlot } from '../hospital-stay/StaysSlot';
import { OpinionSlot } from '../opinion/OpinionSlot';

const TABS = [
  { id: 'treatments', label: fr.panels.tabs.treatments, title: fr.panels.treatments.title },
  { id: 'pps', label: fr.panels.tabs.pps, title: fr.panels.pps.fullTitle },
  { id: 'appointments', label: fr.panels.tabs.appointments, title: fr.panels.appointments.title },
  { id: 'admissions', label: fr.panels.tabs.admissions, title: fr.admissions.title },
  { id: 'referrals', label: fr.panels.tabs.referrals, title: fr.referrals.title },
  { id: 'support', label: fr.panels.tabs.support, title: fr.panels.tabs.supportTitle },
  { id: 'stays', label: fr.panels.tabs.stays, title: fr.panels.tabs.staysTitle },
  { id: 'opinion', label: fr.panels.tabs.opinion, title: fr.panels.tabs.opinionTitle },
  { id: 'tasks', label: fr.panels.tabs.tasks, title: fr.panels.tasks.title },
  { id: 'care-team', label: fr.panels.tabs['care-team'], title: fr.panels.careTeam.title },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** Below this width the panels are tabs (one at a time) instead of a stacked column. */
const NARROW_QUERY = '(max-width: 1279px)';

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => typeof matchMedia === 'function' && matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(NARROW_QUERY);
    const on = () => setNarrow(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return narrow;
}

/** The column beside the journal: treatments, PPS, agenda, tasks, care team. */
export function PanelsColumn({
  controller,
  ppsEdit,
  agenda,
  referrals,
  medical = true,
  onShowEntry,
}: {
  controller: PanelsController;
  /** The session may read medical content (journal.read-medical): else no treatments panel (practice staff). */
  medical?: boolean;
  /** « Modifier le PPS », given only when the session has pps.edit. */
  ppsEdit?: PpsEditController | null;
  /** Appointments and admission requests (features/agenda/controller.ts); actions shown by permission. */
  agenda?: AgendaController;
  /** Referrals (features/referral/controller.ts): the list for every role, « Adresser » with referral.write. */
  referrals?: ReferralController;
  /** « Voir le message » on a task created from a journal entry (issue 15). */
  onShowEntry?: (entryId: string) => void;
}) {
  const { panels } = useSyncExternalStore(controller.subscribe, controller.getState);
  const noAgenda = useCallback(() => () => {}, []);
  const agendaState = useSyncExternalStore(agenda?.subscribe ?? noAgenda, agenda?.getState ?? (() => null));
  const narrow = useNarrow();
  const [tab, setTab] = useState<TabId>('tasks');
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const data = panels.data;
  if (!panels.patientId) return null;

  const tabs = medical ? TABS : TABS.filter((x) => x.id !== 'treatments' && x.id !== 'opinion');
  const onTabKey = (event: React.KeyboardEvent) => {
    const i = tabs.findIndex((x) => x.id === tab);
    const next = event.key === 'ArrowRight' ? i + 1 : event.key === 'ArrowLeft' ? i - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length]!;
    setTab(target.id);
    tabRefs.current[target.id]?.focus();
  };
  const hidden = (id: TabId) => narrow && tab !== id;

  return (
    <aside id="patient-panels" className={`panels${narrow ? ' panels--tabs' : ''}`} aria-label={fr.panels.label} data-testid="panels" aria-busy={panels.loading}>
      <div className="panels-bar">
        <NotificationsButton controller={controller} />
        {panels.loading && !data && <span className="panels-status">{fr.panels.loading}</span>}
        {data?.source === 'store' && (
          <span className="panels-status panels-status--offline" role="status" data-testid="panels-offline">
            {fr.panels.fromStore(fmtStamp(data.fetchedAt))}
          </span>
        )}
        {panels.error && (
          <span className="panels-status panels-status--failed" role="alert">
            {fr.panels.failed(errorMessage(panels.error.code))}
          </span>
        )}
        <button type="button" className="button button-small button-quiet panels-refresh" aria-label={fr.panels.refreshLabel} onClick={() => void controller.reload()} disabled={panels.loading}>
          {fr.panels.refresh}
        </button>
      </div>
      {narrow && (
        <div className="panels-tabs" role="tablist" aria-label={fr.panels.label} onKeyDown={onTabKey}>
          {tabs.map((x) => (
            <button
              key={x.id}
              ref={(el) => {
                tabRefs.current[x.id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${x.id}`}
              aria-selected={tab === x.id}
              aria-controls={`panel-${x.id}`}
              tabIndex={tab === x.id ? 0 : -1}
              className="panels-tab"
              title={x.title}
              onClick={() => setTab(x.id)}
            >
              {x.label}
            </button>
          ))}
        </div>
      )}
      {data && (
        <div className="panels-scroll">
          <TasksPanel
            tasks={data.tasks}
            pendingTaskId={panels.pendingTaskId}
            conflictTaskId={panels.conflictTaskId}
            onMove={(task, status) => void controller.updateTask(task, status)}
            {...(onShowEntry ? { onShowEntry } : {})}
            hidden={hidden('tasks')}
          />
          {medical && <TreatmentsPanel treatments={data.treatments} selfId={controller.selfId()} hidden={hidden('treatments')} review={data.medicationReview ?? null} />}
          <PpsPanel pps={data.pps} hidden={hidden('pps')} {...(ppsEdit ? { editor: { controller: ppsEdit, careTeam: data.careTeam } } : {})} />
          <AppointmentsPanel
            appointments={data.appointments}
            hidden={hidden('appointments')}
            actions={
              agenda?.can('appointment.manage')
                ? { onBook: agenda.openBook, onMove: agenda.openReschedule, onCancel: agenda.openCancel, onResume: agenda.resume, onDismiss: (a) => void agenda.dismiss(a) }
                : null
            }
          />
          {agenda && agendaState && (
            <AdmissionsPanel
              list={agendaState.admissions}
              error={agendaState.admissionsError}
              canRequest={agenda.can('admission.manage')}
              onRequest={agenda.openAdmission}
              onChange={agenda.openAdmissionChange}
              hidden={hidden('admissions')}
            />
          )}
          {referrals && <ReferralsPanelHost controller={referrals} hidden={hidden('referrals')} />}
          <SupportSlot hidden={hidden('support')} />
          <StaysSlot hidden={hidden('stays')} />
          <OpinionSlot hidden={hidden('opinion')} />
          <CareTeamPanel members={data.careTeam} hidden={hidden('care-team')} />
        </div>
      )}
      {agenda && <AgendaDialogs agenda={agenda} careTeam={data?.careTeam ?? []} />}
      {referrals && <ReferralDialogHost controller={referrals} careTeam={data?.careTeam ?? []} />}
    </aside>
  );
}
