import type { OpinionCreateRequest, OpinionList, OpinionReferent, Permission, RelaisClient, RelaisErrorShape, RelaisEvent } from '../../contract';
import { ExternalStore } from '../../state/external-store';
import { OutboxAnswers } from '../../state/outbox-answers';

/**
 * « Avis demandés » of the patient on screen (issue 13 item 2), outside React like the support
 * controller: the dialog (with the directory's referents), what is being sent, the list with the
 * answers. Reloaded when the outbox reports the platform's answer, when the journal brings news
 * (the referent's answer arrives as an entry), and on `load`.
 */

export interface OpinionViewState {
  patientId: string | null;
  open: boolean;
  submitting: boolean;
  error: RelaisErrorShape | null;
  list: OpinionList | null;
  listError: RelaisErrorShape | null;
  referents: OpinionReferent[] | null;
}

export interface OpinionPanelsSource {
  getState(): { panels: { patientId: string | null } };
  subscribe(listener: () => void): () => void;
}
export interface OpinionSessionSource {
  getState(): { session: { permissions: readonly Permission[] } | null };
  subscribe(listener: () => void): () => void;
}

export class OpinionController extends ExternalStore<OpinionViewState> {
  private readonly answers = new OutboxAnswers(new Set(['opinion-request']));

  constructor(
    private readonly client: RelaisClient,
    private readonly session: OpinionSessionSource,
    private readonly panels: OpinionPanelsSource,
  ) {
    super({ patientId: null, open: false, submitting: false, error: null, list: null, listError: null, referents: null });
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
  /** Care professionals who read medical entries (GP, nurse): the question and photos are medical. */
  canAsk(): boolean {
    return this.has('journal.write') && this.has('journal.read-medical');
  }

  private follow(): void {
    const id = this.panels.getState().panels.patientId;
    if (id === this.state.patientId) return;
    this.set({ patientId: id, open: false, error: null, submitting: false, list: null, listError: null });
    if (id && this.canAsk()) void this.load(id);
  }

  load = async (patientId = this.state.patientId): Promise<void> => {
    if (!patientId || !this.canAsk()) return;
    const r = await this.client.call('opinion.list', { patientId });
    if (this.state.patientId !== patientId) return;
    if (r.ok) this.set({ list: r.value, listError: null });
    else this.set({ listError: r.error });
  };

  openDialog = (): void => {
    const patientId = this.state.patientId;
    if (!patientId) return;
    this.set({ open: true, error: null });
    if (this.state.referents) return;
    void this.client.call('opinion.referents', { patientId }).then((r) => {
      if (r.ok) this.set({ referents: r.value });
      else this.set({ error: r.error });
    });
  };
  close = (): void => {
    if (!this.state.submitting) this.set({ open: false, error: null });
  };

  submit = async (request: Omit<OpinionCreateRequest, 'patientId'>): Promise<boolean> => {
    const patientId = this.state.patientId;
    if (!patientId || this.state.submitting) return false;
    this.set({ submitting: true, error: null });
    const r = await this.client.call('opinion.create', { ...request, patientId });
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
