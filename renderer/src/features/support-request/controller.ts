import type { Permission, RelaisClient, RelaisErrorShape, RelaisEvent, SupportRequestContext, SupportRequestCreateRequest, SupportRequestList } from '../../contract';
import { ExternalStore } from '../../state/external-store';
import { OutboxAnswers } from '../../state/outbox-answers';

/**
 * « Demandes d'appui » of the patient on screen (issue 13), outside React like the referral
 * controller: the dialog (with the cell and the pre-filled values the core gives), what is being
 * sent, the list with the steps the cell reached. Reloaded when the outbox reports the platform's
 * answer, when the journal brings news (the cell's steps arrive as entries), and on `refresh`.
 */

export interface SupportViewState {
  patientId: string | null;
  open: boolean;
  submitting: boolean;
  error: RelaisErrorShape | null;
  list: SupportRequestList | null;
  listError: RelaisErrorShape | null;
  context: SupportRequestContext | null;
}

export interface SupportPanelsSource {
  getState(): { panels: { patientId: string | null } };
  subscribe(listener: () => void): () => void;
}
export interface SupportSessionSource {
  getState(): { session: { permissions: readonly Permission[]; role?: string } | null };
  subscribe(listener: () => void): () => void;
}

export class SupportRequestController extends ExternalStore<SupportViewState> {
  private readonly answers = new OutboxAnswers(new Set(['support-request']));

  constructor(
    private readonly client: RelaisClient,
    private readonly session: SupportSessionSource,
    private readonly panels: SupportPanelsSource,
  ) {
    super({ patientId: null, open: false, submitting: false, error: null, list: null, listError: null, context: null });
    this.own(
      panels.subscribe(() => this.follow()),
      session.subscribe(() => this.touch()),
      client.onEvent((e) => this.handleEvent(e)),
    );
    this.follow();
  }

  private has(p: Permission): boolean {
    return this.session.getState().session?.permissions.includes(p) ?? false;
  }
  canRequest(): boolean {
    return this.has('support.request');
  }
  /** Medical details are a medical entry: only who reads medical entries writes one. */
  canWriteMedical(): boolean {
    return this.has('journal.read-medical');
  }
  /** Practice staff send on a GP's behalf (they cannot write care entries). */
  actsOnBehalf(): boolean {
    return this.canRequest() && !this.has('journal.write');
  }

  private follow(): void {
    const id = this.panels.getState().panels.patientId;
    if (id === this.state.patientId) return;
    this.set({ patientId: id, open: false, error: null, submitting: false, list: null, listError: null, context: null });
    if (id) void this.load(id);
  }

  load = async (patientId = this.state.patientId): Promise<void> => {
    if (!patientId) return;
    const r = await this.client.call('supportRequest.list', { patientId });
    if (this.state.patientId !== patientId) return;
    if (r.ok) this.set({ list: r.value, listError: null });
    else this.set({ listError: r.error });
  };

  openDialog = (): void => {
    const patientId = this.state.patientId;
    if (!patientId) return;
    this.set({ open: true, error: null, context: null });
    void this.client.call('supportRequest.context', { patientId }).then((r) => {
      if (this.state.patientId !== patientId) return;
      if (r.ok) this.set({ context: r.value });
      else this.set({ error: r.error });
    });
  };
  close = (): void => {
    if (!this.state.submitting) this.set({ open: false, error: null });
  };

  submit = async (request: Omit<SupportRequestCreateRequest, 'patientId'>): Promise<boolean> => {
    const patientId = this.state.patientId;
    if (!patientId || this.state.submitting) return false;
    this.set({ submitting: true, error: null });
    const r = await this.client.call('supportRequest.create', { ...request, patientId });
    if (!r.ok) {
      this.set({ submitting: false, error: r.error });
      return false;
    }
    this.set({ submitting: false, open: false, error: null });
    await this.load(patientId);
    return true;
  };

  private handleEvent(event: RelaisEvent): void {
    if (event.type === 'journal-updated' && 'patientId' in event && event.patientId === this.state.patientId) {
      void this.load();
      return;
    }
    if (event.type !== 'outbox-changed') return;
    let changed = false;
    for (const item of this.answers.answered(event.items)) if (item.patientId === this.state.patientId) changed = true;
    if (changed) void this.load();
  }
}
