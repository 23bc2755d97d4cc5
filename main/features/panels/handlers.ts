import { can, type ApiRequest, type ApiResponse, type CareTeamMember } from '../../../contract';
import type { FeatureContext } from '../feature';
import { AlertWatcher } from './alert-watcher';
import { PanelsService } from './panels-service';

export interface PanelsFeatureOptions {
  /** Alert watcher poll interval (ms, default 30 s); tests shorten it. */
  alertPollMs?: number;
}

/** Panels, task updates and the alert watcher (main/features/feature.ts). */
export function createPanelsFeature(o: FeatureContext, options: PanelsFeatureOptions = {}) {
  const panelsStore = o.store.panelsCache;
  const panels = new PanelsService({
    platform: o.platform,
    store: panelsStore,
    professionalId: o.professional.id,
    track: (call) => o.track(call),
    now: () => o.now(),
  });
  const alerts = new AlertWatcher({
    platform: o.platform,
    store: panelsStore,
    events: o.events,
    followedPatients: () => o.followedPatients(),
    log: (m) => console.error(m),
    ...(options.alertPollMs !== undefined ? { intervalMs: options.alertPollMs } : {}),
    now: () => o.now(),
  });
  // Opening a patient acknowledges their alerts (the tray stops counting them).
  o.events.subscribe((event) => {
    if (event.type === 'patient-changed') alerts.acknowledgePatient(event.patient.id);
  });
  const handlers = {
    'patient.panels': async ({ patientId }: ApiRequest<'patient.panels'>): Promise<ApiResponse<'patient.panels'>> => {
      o.assertKnownPatient(patientId);
      const shown = o.overlayAgenda(await panels.get(patientId));
      // Treatments are medical content: practice staff get none, whatever the platform sent.
      return can(o.role(), 'journal.read-medical') ? shown : { ...shown, treatments: [] };
    },
    'task.updateStatus': async ({ taskId, status, version }: ApiRequest<'task.updateStatus'>): Promise<ApiResponse<'task.updateStatus'>> => {
      const task = await panels.updateTaskStatus(taskId, status, version);
      o.store.audit(o.actor, 'task.status', task.patientId, JSON.stringify({ taskId, status }));
      return task;
    },
    'alerts.list': async (): Promise<ApiResponse<'alerts.list'>> => {
      try {
        await alerts.pollNow();
      } catch {
        // Offline: what the watcher already knows.
      }
      return alerts.list(await o.followedPatients());
    },
  };
  /** The care team as the panels know it (platform, else the stored answer): agenda and referral ask it. */
  const careTeamOf = async (patientId: string): Promise<CareTeamMember[]> => (await panels.get(patientId)).careTeam;
  return { handlers, alerts, careTeamOf };
}
