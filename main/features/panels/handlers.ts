import { can, RelaisError, type Alert, type ApiRequest, type ApiResponse, type CareTeamMember, type PatientPanels } from '../../../contract';
import { alertHandleWriter, type AlertHandlePayload } from './alert-handle-writer';
import type { FeatureContext } from '../feature';
import { AlertWatcher } from './alert-watcher';
import { PanelsService } from './panels-service';

export interface PanelsFeatureOptions {
  /** Alert watcher poll interval (ms, default 30 s); tests shorten it. */
  alertPollMs?: number;
}

/**
 * What a secretary (no journal.read-medical) sees of the panels (issue 15): no treatments; of the
 * PPS, its administrative parts only — title, coordinator, dates (next review, last update) — and
 * never its problem situations, objectives, wishes, interventions nor alert procedure.
 */
export function administrativeOnly(panels: PatientPanels): PatientPanels {
  const pps = panels.pps;
  return {
    ...panels,
    treatments: [],
    pps: pps
      ? { id: pps.id, title: pps.title, coordinator: pps.coordinator, problems: [], preferences: [], objectives: [], interventions: [], nextReview: pps.nextReview, updatedAt: pps.updatedAt, version: pps.version }
      : null,
  };
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
    patientById: (id) => o.store.getPatient(id),
    ...(options.alertPollMs !== undefined ? { intervalMs: options.alertPollMs } : {}),
    now: () => o.now(),
  });
  // Issue 15: opening a patient acknowledges nothing; only « Prendre en compte » (alert.handle) does.
  /** A role that does not read medical entries gets an alert's title (its kind) and never its clinical text. */
  const shownAlert = (a: Alert): Alert => (can(o.role(), 'journal.read-medical') ? a : { ...a, text: '' });
  /** What this window already sent (or is sending) for these alerts, laid over the platform's answer. */
  const pendingHandling = (patientId: string): Map<string, string> =>
    new Map(
      o.outbox
        .list()
        .filter((i) => i.kind === 'alert-handle' && i.patientId === patientId && i.status !== 'failed-permanent' && i.status !== 'sent')
        .map((i) => {
          const p = o.outbox.payloadOf(i.id) as AlertHandlePayload | null;
          return [p?.alertId ?? '', p?.at ?? i.createdAt] as const;
        }),
    );
  const handlers = {
    'patient.panels': async ({ patientId }: ApiRequest<'patient.panels'>): Promise<ApiResponse<'patient.panels'>> => {
      o.assertKnownPatient(patientId);
      const shown = o.overlayAgenda(await panels.get(patientId));
      // Treatments and the PPS's clinical parts are medical content: practice staff get none,
      // whatever the platform sent (the sandbox withholds them too: sandbox/auth/access-policy.ts).
      return can(o.role(), 'journal.read-medical') ? shown : administrativeOnly(shown);
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
      return alerts.list(await o.followedPatients()).map((pa) => ({ ...pa, alert: shownAlert(pa.alert) }));
    },
    'alerts.ofPatient': async ({ patientId }: ApiRequest<'alerts.ofPatient'>): Promise<ApiResponse<'alerts.ofPatient'>> => {
      o.assertKnownPatient(patientId);
      let list: Alert[];
      try {
        const batch = await o.track(() => o.platform.fetchActiveAlerts([patientId]));
        list = alerts.remember(batch.alerts);
      } catch (error) {
        if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE')) throw error;
        list = o.store.panelsCache.knownAlerts().map((k) => k.alert).filter((a) => a.patientId === patientId);
      }
      const pending = pendingHandling(patientId);
      return list
        .map((a) => (a.handled || !pending.has(a.id) ? a : { ...a, handled: { by: o.requester, at: pending.get(a.id)!, pending: true } }))
        .sort((a, b) => Number(a.handled !== null) - Number(b.handled !== null) || b.start.localeCompare(a.start))
        .map(shownAlert);
    },
    'alert.handle': async ({ patientId, alertId }: ApiRequest<'alert.handle'>): Promise<ApiResponse<'alert.handle'>> => {
      o.assertKnownPatient(patientId);
      const at = o.now().toISOString();
      const payload: AlertHandlePayload = { patientId, alertId, at };
      const item = o.outbox.enqueue({ kind: 'alert-handle', patientId, payload, summary: 'Alerte prise en compte' });
      alerts.markHandledLocally(alertId, { by: o.requester, at, pending: true });
      o.store.audit(o.actor, 'alert.handle', patientId, JSON.stringify({ clientId: item.id, alertId }));
      return item;
    },
  };
  /** The care team as the panels know it (platform, else the stored answer): agenda and referral ask it. */
  const careTeamOf = async (patientId: string): Promise<CareTeamMember[]> => (await panels.get(patientId)).careTeam;
  return { handlers, alerts, careTeamOf, writers: { 'alert-handle': alertHandleWriter } };
}
