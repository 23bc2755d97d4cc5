import type { ApiRequest, ApiResponse, Patient, Professional } from '../../../contract';
import { AlertWatcher } from './alert-watcher';
import { auditActor } from '../../audit/audit-trail';
import type { EventBus } from '../../events';
import type { Platform } from '../../platform/port';
import type { LocalStore } from '../../store/store';
import { PanelsService } from './panels-service';
import { PanelsStore } from '../../panels/panels-store';

export interface PanelsFeatureOptions {
  platform: Platform;
  store: LocalStore;
  events: EventBus;
  professional: Professional;
  followedPatients: () => Promise<Patient[]>;
  assertKnownPatient: (patientId: string) => void;
  track: <T>(call: () => Promise<T>) => Promise<T>;
  alertPollMs?: number;
  now?: () => Date;
}

/** Panels, task updates and the alert watcher, wired for the core (main/core.ts). */
export function createPanelsFeature(o: PanelsFeatureOptions) {
  const panelsStore = new PanelsStore(o.store.sqlite);
  const panels = new PanelsService({
    platform: o.platform,
    store: panelsStore,
    professionalId: o.professional.id,
    track: o.track,
    ...(o.now ? { now: o.now } : {}),
  });
  const alerts = new AlertWatcher({
    platform: o.platform,
    store: panelsStore,
    events: o.events,
    followedPatients: o.followedPatients,
    log: (m) => console.error(m),
    ...(o.alertPollMs !== undefined ? { intervalMs: o.alertPollMs } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const handlers = {
    'patient.panels': async ({ patientId }: ApiRequest<'patient.panels'>): Promise<ApiResponse<'patient.panels'>> => {
      o.assertKnownPatient(patientId);
      return panels.get(patientId);
    },
    'task.updateStatus': async ({ taskId, status, version }: ApiRequest<'task.updateStatus'>): Promise<ApiResponse<'task.updateStatus'>> => {
      const task = await panels.updateTaskStatus(taskId, status, version);
      o.store.audit(auditActor(o.professional), 'task.status', task.patientId, JSON.stringify({ taskId, status }));
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
  return { panels, alerts, handlers };
}
