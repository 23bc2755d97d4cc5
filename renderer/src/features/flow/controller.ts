import type { CareTeamMember, JournalEntry, Patient, RelaisClient, RelaisErrorShape, RelaisEvent, TaskFromEntryRequest, TodoList } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/**
 * The daily flow of the window (issue 15, items 4–5): the « À traiter » list across the followed
 * patients (and the patient list's unread badges it carries), and the « Créer une tâche » dialog
 * on a journal message. The list is reloaded when a background sync pass ends and when the
 * patient on screen changes (leaving a patient marks its entries read).
 */
export interface FlowState {
  todo: TodoList | null;
  loading: boolean;
  error: RelaisErrorShape | null;
  /** The message « Créer une tâche » was asked on (the dialog is open), with its patient. */
  taskFor: { entry: JournalEntry; patient: Patient } | null;
  taskSubmitting: boolean;
  taskError: RelaisErrorShape | null;
  /** Name of the assignee of the task just enqueued (a notice), cleared on the next action. */
  taskCreatedFor: string | null;
}

export interface FlowSources {
  patients: { getState(): { patient: Patient | null }; subscribe(listener: () => void): () => void };
  /** The care team of the patient on screen, as the panels loaded it (null: not loaded). */
  careTeam(): CareTeamMember[] | null;
  /** After a task is enqueued: the panels reload (the assignee's « Mes tâches »). */
  onTaskCreated?(): void;
}

export class FlowController extends ExternalStore<FlowState> {
  private patientId: string | null = null;
  private seq = 0;
  private readonly sentTasks = new Set<string>();

  constructor(
    private readonly client: RelaisClient,
    private readonly sources: FlowSources,
  ) {
    super({ todo: null, loading: false, error: null, taskFor: null, taskSubmitting: false, taskError: null, taskCreatedFor: null });
    this.patientId = sources.patients.getState().patient?.id ?? null;
    this.own(
      client.onEvent((e) => this.handleEvent(e)),
      sources.patients.subscribe(() => {
        const id = sources.patients.getState().patient?.id ?? null;
        if (id === this.patientId) return;
        const left = this.patientId !== null;
        this.patientId = id;
        // The previous patient's entries were just marked read: their badge goes. Only the store
        // changed: the core rebuilds around the platform's last answer (no search per switch).
        if (left) void this.load(false, false);
      }),
    );
  }

  /**
   * « À traiter »: syncs the journals of every followed patient (unless `sync` is false: the
   * background pass just did, or only the badges need refreshing), then lists what needs the
   * professional. `platform` false: the store alone changed (see `todo.list`).
   */
  load = async (sync = true, platform = true): Promise<void> => {
    const seq = ++this.seq;
    this.set({ loading: true });
    const r = await this.client.call('todo.list', { ...(sync ? {} : { sync: false }), ...(platform ? {} : { platform: false }) });
    if (seq !== this.seq) return;
    if (r.ok) this.set({ todo: r.value, loading: false, error: null });
    else this.set({ loading: false, error: r.error });
  };

  careTeam = (): CareTeamMember[] | null => this.sources.careTeam();

  openTaskDialog = (entry: JournalEntry): void => {
    const patient = this.sources.patients.getState().patient;
    if (!patient || patient.id !== entry.patientId) return;
    this.set({ taskFor: { entry, patient }, taskError: null, taskCreatedFor: null });
  };

  closeTaskDialog = (): void => {
    this.set({ taskFor: null, taskError: null, taskSubmitting: false });
  };

  dismissNotice = (): void => {
    this.set({ taskCreatedFor: null });
  };

  /** Enqueues the task; true when accepted (the dialog closes), false when refused (it stays, with the error). */
  createTask = async (request: Omit<TaskFromEntryRequest, 'patientId' | 'entryId'>): Promise<boolean> => {
    const target = this.state.taskFor;
    if (!target || this.state.taskSubmitting) return false;
    this.set({ taskSubmitting: true, taskError: null });
    const r = await this.client.call('task.createFromEntry', { patientId: target.patient.id, entryId: target.entry.id, ...request });
    if (!r.ok) {
      this.set({ taskSubmitting: false, taskError: r.error });
      return false;
    }
    const owner = this.sources.careTeam()?.find((m) => m.id === request.ownerId)?.name ?? '';
    this.set({ taskSubmitting: false, taskFor: null, taskCreatedFor: owner });
    this.sources.onTaskCreated?.();
    return true;
  };

  private handleEvent(e: RelaisEvent): void {
    if (e.type === 'sync-status' && e.state === 'idle' && e.lastCompleteAt) void this.load(false);
    // A task row was sent: the assignee's list on the platform has it now.
    if (e.type === 'outbox-changed') {
      const sent = e.items.filter((i) => i.kind === 'task-create' && i.status === 'sent').map((i) => i.id);
      const fresh = sent.filter((id) => !this.sentTasks.has(id));
      for (const id of sent) this.sentTasks.add(id);
      if (fresh.length > 0) this.sources.onTaskCreated?.();
    }
  }
}
