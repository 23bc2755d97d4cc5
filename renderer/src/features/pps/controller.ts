import type { Pps, PpsEdit, PpsRecoveredEdit, RelaisClient, RelaisErrorShape, RelaisEvent } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/**
 * « Modifier le PPS », outside React (an ExternalStore, like the panels controller). The form's content lives here, so an
 * error answer or a refusal by the platform never loses what the professional typed: on a
 * CONFLICT (the PPS changed since they opened it) the core keeps the edits (pps.recoverEdit) and
 * this controller offers them again on the new version.
 */
export interface PpsEditState {
  /** The form, open: the PPS it was opened on, the version the edit is based on, the edit itself. */
  editing: { pps: Pps; baseVersion: string; edit: PpsEdit } | null;
  sending: boolean;
  error: RelaisErrorShape | null;
  /** The outbox item of the last update sent from this window, until it is sent or refused. */
  pendingItemId: string | null;
  /** A refused update whose edits can be taken up again. */
  recovered: PpsRecoveredEdit | null;
}

/** The PPS as shown, as an edit that changes nothing (the form's starting point). */
export function editOf(pps: Pps): PpsEdit {
  return {
    objectives: pps.objectives.map((o) => ({
      id: o.id,
      description: o.description,
      priority: o.priority,
      criterion: o.criterion ?? '',
      dueDate: o.dueDate,
      achieved: o.achievement === 'achieved',
    })),
    interventions: pps.interventions.map((x, i) => ({ source: i, description: x.description, performerId: x.performer?.id ?? null, scheduledEnd: x.scheduledEnd })),
    nextReview: pps.nextReview,
    preferences: [...pps.preferences],
  };
}

/**
 * A recovered edit on a newer version: interventions are matched again by their wording (the
 * positions may have moved); one whose wording the professional changed keeps its position when
 * that position still exists.
 */
export function rebaseEdit(edit: PpsEdit, fresh: Pps): PpsEdit {
  const used = new Set<number>();
  const interventions = edit.interventions.map((x) => {
    if (x.source === null) return x;
    const same = fresh.interventions.findIndex((f, i) => !used.has(i) && f.description === x.description);
    const source = same >= 0 ? same : x.source < fresh.interventions.length && !used.has(x.source) ? x.source : null;
    if (source !== null) used.add(source);
    return { ...x, source };
  });
  const known = new Set(fresh.objectives.map((o) => o.id));
  // An objective whose Goal left the plan comes back as a new one rather than being lost.
  const objectives = edit.objectives.map((o) => (o.id !== null && !known.has(o.id) ? { ...o, id: null } : o));
  return { ...edit, objectives, interventions };
}

/** The panels controller as seen from here: the patient on screen, their PPS, a way to reload it. */
export interface PpsPanelsSource {
  getState(): { panels: { patientId: string | null; data: { pps: Pps | null } | null } };
  subscribe(listener: () => void): () => void;
  reload(): Promise<void>;
}

export class PpsEditController extends ExternalStore<PpsEditState> {
  private patientId: string | null = null;
  /** Refusals the professional chose to drop, for this window's life. */
  private readonly discarded = new Set<string>();
  /** The form closed by a held chart (issue 15): offered again when the same version is reopened. */
  private suspended: PpsEditState['editing'] = null;

  constructor(
    private readonly client: RelaisClient,
    private readonly panels: PpsPanelsSource,
  ) {
    super({ editing: null, sending: false, error: null, pendingItemId: null, recovered: null });
    this.own(
      panels.subscribe(() => this.follow()),
      client.onEvent((e) => this.handleEvent(e)),
    );
    this.follow();
  }

  /** Another patient: the form closes; a refused update of this patient is offered again. */
  private follow(): void {
    const id = this.panels.getState().panels.patientId;
    if (id === this.patientId) return;
    this.patientId = id;
    this.suspended = null;
    this.set({ editing: null, sending: false, error: null, pendingItemId: null, recovered: null });
    if (id) void this.checkRecovered(id);
  }

  private async checkRecovered(patientId: string): Promise<void> {
    const r = await this.client.call('pps.recoverEdit', { patientId });
    if (this.patientId !== patientId || !r.ok) return;
    this.set({ recovered: r.value && !this.discarded.has(r.value.itemId) ? r.value : null });
  }

  open = (pps: Pps): void => {
    const kept = this.suspended && this.suspended.pps.id === pps.id && this.suspended.baseVersion === pps.version ? this.suspended.edit : null;
    this.suspended = null;
    this.set({ editing: { pps, baseVersion: pps.version, edit: kept ?? editOf(pps) }, error: null });
  };

  /**
   * The chart is held (refused or held launch): the form closes so the notice is seen, and what
   * was typed comes back when the GP reopens it on the same PPS version.
   */
  suspend = (): void => {
    if (!this.state.editing || this.state.sending) return;
    this.suspended = this.state.editing;
    this.set({ editing: null, error: null });
  };

  change = (edit: PpsEdit): void => {
    if (this.state.editing) this.set({ editing: { ...this.state.editing, edit } });
  };

  cancel = (): void => {
    this.set({ editing: null, error: null });
  };

  submit = async (): Promise<void> => {
    const editing = this.state.editing;
    const patientId = this.patientId;
    if (!editing || !patientId || this.state.sending) return;
    this.set({ sending: true, error: null });
    const r = await this.client.call('pps.update', { patientId, ppsId: editing.pps.id, baseVersion: editing.baseVersion, edit: editing.edit });
    if (this.patientId !== patientId) return;
    // Refused before it was queued (invalid input, no permission): the form stays open, as typed.
    if (!r.ok) this.set({ sending: false, error: r.error });
    else this.set({ sending: false, editing: null, pendingItemId: r.value.id, recovered: null });
  };

  /** Opens the form on the platform's new version with the professional's kept edits. */
  resume = async (): Promise<void> => {
    const recovered = this.state.recovered;
    if (!recovered) return;
    await this.panels.reload();
    const fresh = this.panels.getState().panels.data?.pps;
    if (!fresh) return;
    this.set({ editing: { pps: fresh, baseVersion: fresh.version, edit: rebaseEdit(recovered.edit, fresh) }, error: null });
  };

  discard = (): void => {
    if (this.state.recovered) this.discarded.add(this.state.recovered.itemId);
    this.set({ recovered: null });
  };

  private handleEvent(event: RelaisEvent): void {
    if (event.type !== 'outbox-changed' || !this.state.pendingItemId) return;
    const item = event.items.find((i) => i.id === this.state.pendingItemId);
    if (!item || !this.patientId) return;
    if (item.status === 'sent') {
      this.set({ pendingItemId: null });
      void this.panels.reload();
    } else if (item.status === 'failed-permanent') {
      this.set({ pendingItemId: null });
      void this.panels.reload();
      void this.checkRecovered(this.patientId);
    }
  }
}
