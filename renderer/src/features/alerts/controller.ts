import type { Alert, RelaisClient, RelaisErrorShape, RelaisEvent } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/**
 * The active alerts of the patient on screen (issue 15): the strip under the identity banner.
 * Loaded when the patient changes, reloaded when an alert is raised or handled (here, by a
 * colleague through the watcher, or when the outbox sent our « Prendre en compte »).
 */
export interface AlertStripState {
  patientId: string | null;
  alerts: Alert[];
  loading: boolean;
  /** Alert whose « Prendre en compte » is being enqueued. */
  handlingId: string | null;
  error: RelaisErrorShape | null;
}

export class AlertStripController extends ExternalStore<AlertStripState> {
  private seq = 0;

  constructor(private readonly client: RelaisClient) {
    super({ patientId: null, alerts: [], loading: false, handlingId: null, error: null });
  }

  /** Listens to the core's events until the returned function is called (a component's effect). */
  connect(): () => void {
    return this.client.onEvent((e) => this.handleEvent(e));
  }

  /** Follows the patient on screen (null: none). */
  follow(patientId: string | null): void {
    if (patientId === this.state.patientId) return;
    this.set({ patientId, alerts: [], error: null, handlingId: null });
    if (patientId) void this.reload();
  }

  reload = async (): Promise<void> => {
    const patientId = this.state.patientId;
    if (!patientId) return;
    const seq = ++this.seq;
    this.set({ loading: true });
    const r = await this.client.call('alerts.ofPatient', { patientId });
    if (seq !== this.seq || this.state.patientId !== patientId) return;
    this.set(r.ok ? { alerts: r.value, loading: false, error: null } : { loading: false, error: r.error });
  };

  /** « Prendre en compte »: through the outbox; the alert shows as handled by me (pending) at once. */
  handle = async (alertId: string): Promise<void> => {
    const patientId = this.state.patientId;
    if (!patientId || this.state.handlingId) return;
    this.set({ handlingId: alertId });
    const r = await this.client.call('alert.handle', { patientId, alertId });
    this.set({ handlingId: null, ...(r.ok ? {} : { error: r.error }) });
    await this.reload();
  };

  private handleEvent(e: RelaisEvent): void {
    const patientId = this.state.patientId;
    if (!patientId) return;
    if ((e.type === 'alert-raised' && e.alert.patientId === patientId) || (e.type === 'alert-handled' && e.patientId === patientId)) void this.reload();
    // Our « Prendre en compte » reached the platform: the strip shows it as the team sees it.
    else if (e.type === 'outbox-changed' && e.items.some((i) => i.kind === 'alert-handle' && i.patientId === patientId && i.status === 'sent')) {
      if (this.state.alerts.some((a) => a.handled?.pending)) void this.reload();
    }
  }
}
