import type { OutboxKind, Permission, RelaisClient, RelaisErrorShape, RelaisEvent, Result } from '../contract';
import { ExternalStore } from './external-store';
import { OutboxAnswers } from './outbox-answers';
import { hasPermission, onPermissionsChange, type SessionPermissionsSource } from './permissions-change';

/**
 * What every « requests of the patient on screen » panel shares (support-cell requests, specialist
 * opinions): it follows the patient the panels show, lists the requests, opens a dialog, sends one
 * request through the outbox, and reloads when the platform answers (outbox) or the journal brings
 * news (the other side's steps arrive as entries). A feature adds its permissions and dialog data.
 */
export interface PatientRequestsState<L> {
  patientId: string | null;
  open: boolean;
  submitting: boolean;
  error: RelaisErrorShape | null;
  list: L | null;
  listError: RelaisErrorShape | null;
}

export interface PanelsPatientSource {
  getState(): { panels: { patientId: string | null } };
  subscribe(listener: () => void): () => void;
}
export abstract class PatientRequestsController<S extends PatientRequestsState<L>, L, R> extends ExternalStore<S> {
  private readonly answers: OutboxAnswers;

  protected constructor(
    protected readonly client: RelaisClient,
    private readonly session: SessionPermissionsSource,
    private readonly panels: PanelsPatientSource,
    initial: S,
    outboxKind: OutboxKind,
  ) {
    super(initial);
    this.answers = new OutboxAnswers(new Set([outboxKind]));
    this.own(
      panels.subscribe(() => this.follow()),
      onPermissionsChange(session, () => this.touch()),
      client.onEvent((e) => this.handleEvent(e)),
    );
  }

  /** The list of the patient's requests (one API call of the feature). */
  protected abstract fetchList(patientId: string): Promise<Result<L>>;
  /** Sends one request (the feature's create call; it is enqueued in the outbox). */
  protected abstract send(patientId: string, request: R): Promise<Result<unknown>>;
  /** Whether this session may read the list at all. */
  protected canList(): boolean {
    return true;
  }
  /** Feature fields cleared when another patient is shown. */
  protected resetForPatient(): Partial<S> {
    return {};
  }

  protected has(p: Permission): boolean {
    return hasPermission(this.session, p);
  }

  /** Called once by the subclass's constructor, after its own fields exist. */
  protected follow(): void {
    const id = this.panels.getState().panels.patientId;
    if (id === this.state.patientId) return;
    this.set({ patientId: id, open: false, error: null, submitting: false, list: null, listError: null, ...this.resetForPatient() } as Partial<S>);
    if (id) void this.load(id);
  }

  load = async (patientId = this.state.patientId): Promise<void> => {
    if (!patientId || !this.canList()) return;
    const r = await this.fetchList(patientId);
    if (this.state.patientId !== patientId) return;
    if (r.ok) this.set({ list: r.value, listError: null } as Partial<S>);
    else this.set({ listError: r.error } as Partial<S>);
  };

  close = (): void => {
    if (!this.state.submitting) this.set({ open: false, error: null } as Partial<S>);
  };

  submit = async (request: R): Promise<boolean> => {
    const patientId = this.state.patientId;
    if (!patientId || this.state.submitting) return false;
    this.set({ submitting: true, error: null } as Partial<S>);
    const r = await this.send(patientId, request);
    if (!r.ok) {
      this.set({ submitting: false, error: r.error } as Partial<S>);
      return false;
    }
    this.set({ submitting: false, open: false, error: null } as Partial<S>);
    await this.load(patientId);
    return true;
  };

  private handleEvent(event: RelaisEvent): void {
    // Entries: the other side's step may be among them. None: the refresh stored nothing.
    if (event.type === 'journal-updated' && event.patientId === this.state.patientId && event.entries.length > 0) {
      void this.load();
      return;
    }
    if (event.type !== 'outbox-changed') return;
    if (this.answers.answered(event.items).some((item) => item.patientId === this.state.patientId)) void this.load();
  }
}
