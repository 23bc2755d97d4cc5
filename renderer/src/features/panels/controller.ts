import type { Alert, CareTask, Patient, PatientPanels, RelaisClient, RelaisErrorShape, RelaisEvent, TaskStatus } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/**
 * State of the panels beside the journal and of the alerts, outside React (an ExternalStore).
 * Follows the patient on screen (patients controller); reacts to `alert-raised` with an OS notification
 * (web host, once the professional allowed it) or an in-app toast.
 */

export interface PanelsViewState {
  patientId: string | null;
  data: PatientPanels | null;
  loading: boolean;
  error: RelaisErrorShape | null;
  /** Task whose status change is on its way. */
  pendingTaskId: string | null;
  /** A task update was refused because it changed meanwhile (the list was reloaded). */
  conflictTaskId: string | null;
}

export interface AlertToast {
  key: number;
  patient: Patient;
  alert: Alert;
}

export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

export interface AlertsViewState {
  toasts: AlertToast[];
  permission: NotificationPermissionState;
}

/** The browser's Notification API, injected so tests (and Electron) can replace it. */
export interface NotificationEnv {
  permission(): NotificationPermissionState;
  request(): Promise<NotificationPermissionState>;
  show(title: string, options: { body: string; tag: string }, onClick: () => void): void;
}

export interface PanelsSource {
  getState(): { patient: Patient | null };
  subscribe(listener: () => void): () => void;
  openPatient(patient: Patient): Promise<void>;
}

export interface PanelsControllerOptions {
  /** null: no Notification API (or the host shell notifies, as Electron does): in-app toasts only. */
  notifications: NotificationEnv | null;
  /** Words the notification (kept here so this file has no French of its own). */
  wording: (patient: Patient, alert: Alert) => { title: string; body: string };
  /** Practitioner id of the signed-in professional. */
  selfId?: () => string | null;
}

export interface PanelsControllerState {
  panels: PanelsViewState;
  alerts: AlertsViewState;
}

const MAX_TOASTS = 4;
/** Panels fetched less than this before a sync are not fetched again for it. */
const FRESH_MS = 10_000;

export class PanelsController extends ExternalStore<PanelsControllerState> {
  private toastSeq = 0;
  /** The patient whose background news arrived while their panels were loading. */
  private newsDuringLoad: string | null = null;

  constructor(
    private readonly client: RelaisClient,
    private readonly patients: PanelsSource,
    private readonly options: PanelsControllerOptions,
  ) {
    super({
      panels: { patientId: null, data: null, loading: false, error: null, pendingTaskId: null, conflictTaskId: null },
      alerts: { toasts: [], permission: options.notifications?.permission() ?? 'unsupported' },
    });
    this.own(
      patients.subscribe(() => this.follow()),
      client.onEvent((e) => this.handleEvent(e)),
    );
    this.follow();
  }

  private setPanels(patch: Partial<PanelsViewState>): void {
    this.set({ panels: { ...this.state.panels, ...patch } });
  }
  private setAlerts(patch: Partial<AlertsViewState>): void {
    this.set({ alerts: { ...this.state.alerts, ...patch } });
  }

  /** The patient on screen changed: load their panels. */
  private follow(): void {
    const id = this.patients.getState().patient?.id ?? null;
    if (id === this.state.panels.patientId) return;
    this.setPanels({ patientId: id, data: null, error: null, loading: id !== null, pendingTaskId: null, conflictTaskId: null });
    if (id) void this.load(id);
  }

  /** Practitioner id of the signed-in professional (« vous » in the panels). */
  selfId(): string | null {
    return this.options.selfId?.() ?? null;
  }

  reload = async (): Promise<void> => {
    const id = this.state.panels.patientId;
    if (id) await this.load(id);
  };

  private async load(patientId: string): Promise<void> {
    this.setPanels({ loading: true });
    const r = await this.client.call('patient.panels', { patientId });
    if (this.state.panels.patientId !== patientId) return;
    if (r.ok) this.setPanels({ data: r.value, loading: false, error: null });
    else this.setPanels({ loading: false, error: r.error });
    if (this.newsDuringLoad === patientId) {
      this.newsDuringLoad = null;
      await this.load(patientId);
    }
  }

  updateTask = async (task: CareTask, status: TaskStatus): Promise<void> => {
    const patientId = this.state.panels.patientId;
    if (!patientId || this.state.panels.pendingTaskId) return;
    this.setPanels({ pendingTaskId: task.id, conflictTaskId: null });
    const r = await this.client.call('task.updateStatus', { taskId: task.id, status, version: task.version });
    if (this.state.panels.patientId !== patientId) return;
    const data = this.state.panels.data;
    if (r.ok) {
      this.setPanels({
        pendingTaskId: null,
        data: data ? { ...data, tasks: data.tasks.map((t) => (t.id === task.id ? r.value : t)) } : data,
      });
      return;
    }
    if (r.error.code === 'CONFLICT') {
      this.setPanels({ pendingTaskId: null, conflictTaskId: task.id });
      await this.load(patientId);
      return;
    }
    this.setPanels({ pendingTaskId: null, error: r.error });
  };

  // ---- alerts ----

  /** On a click (a user gesture, as browsers require). */
  enableNotifications = async (): Promise<void> => {
    const env = this.options.notifications;
    if (!env) return;
    this.setAlerts({ permission: await env.request() });
  };

  dismissToast = (key: number): void => {
    this.setAlerts({ toasts: this.state.alerts.toasts.filter((t) => t.key !== key) });
  };

  /**
   * A background sync of the open patient landed (issue 12): the panels follow without waiting
   * for « Actualiser ». Skipped while a load runs or when what is shown was fetched moments
   * before (opening a patient loads both at once).
   */
  private refreshAfterSync(patientId: string, syncedAt: string, news: boolean): void {
    const { panels } = this.state;
    if (panels.patientId !== patientId) return;
    // News during a load the platform may have answered before it: load once more after it.
    if (news && panels.loading) this.newsDuringLoad = patientId;
    if (panels.loading || !panels.data) return;
    const age = Date.parse(syncedAt) - Date.parse(panels.data.fetchedAt);
    // Fetched moments before is no reason to skip when the pass brought news: an answer that
    // lands seconds after the panels were read (its task with it) would wait for « Actualiser ».
    if (!news && Number.isFinite(age) && age < FRESH_MS) return;
    void this.load(patientId);
  }

  /** Opens the patient of an alert (notification click or toast button) from its traits. */
  openAlert = async (patient: Patient, key?: number): Promise<void> => {
    if (key !== undefined) this.dismissToast(key);
    await this.patients.openPatient(patient);
  };

  private handleEvent(event: RelaisEvent): void {
    if (event.type === 'journal-updated') {
      this.refreshAfterSync(event.patientId, event.syncedAt, event.news === true);
      return;
    }
    if (event.type !== 'alert-raised') return;
    const { patient, alert } = event;
    const onScreen = this.state.panels.patientId === patient.id;
    if (onScreen) void this.reload();
    const env = this.options.notifications;
    if (env && env.permission() === 'granted') {
      const { title, body } = this.options.wording(patient, alert);
      env.show(title, { body, tag: alert.id }, () => void this.openAlert(patient));
      return;
    }
    // The patient on screen: the strip under the banner shows it once the panels reload; a toast
    // « Ouvrir le dossier » of the open chart would only cover it (at 400 px, the whole table).
    if (onScreen) return;
    const toast: AlertToast = { key: ++this.toastSeq, patient, alert };
    this.setAlerts({ toasts: [toast, ...this.state.alerts.toasts].slice(0, MAX_TOASTS) });
  }
}

/** The browser's Notification API, or null where it does not exist. */
export function browserNotifications(win: Window & typeof globalThis): NotificationEnv | null {
  const N = win.Notification as typeof Notification | undefined;
  if (!N) return null;
  return {
    permission: () => N.permission,
    request: async () => {
      try {
        return await N.requestPermission();
      } catch {
        return N.permission;
      }
    },
    show: (title, options, onClick) => {
      const n = new N(title, { ...options, lang: 'fr' });
      n.onclick = () => {
        win.focus();
        n.close();
        onClick();
      };
    },
  };
}
