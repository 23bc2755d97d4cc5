import {
  ReferralCreateRequestSchema,
  type ReferralCreateRequest,
  type ReferralList,
  type ReferralRecipient,
  type RelaisClient,
  type RelaisErrorShape,
  type RelaisEvent,
} from '../../contract';
import { ExternalStore } from '../../state/external-store';
import { hasPermission, onPermissionsChange, type SessionPermissionsSource } from '../../state/permissions-change';
import { OutboxAnswers } from '../../state/outbox-answers';
import { readRefusedForm } from '../../state/refused-form';

/** What the referral dialog sends (the patient is the one on screen). */
export type ReferralForm = Omit<ReferralCreateRequest, 'patientId' | 'replaces'>;
const RefusedReferralSchema = ReferralCreateRequestSchema.omit({ patientId: true, replaces: true });

/**
 * Referrals (« adressage ») of the patient on screen, outside React (like the agenda controller): the
 * dialog, what is being sent, the list. A referral goes through the outbox: the call answers once
 * it is accepted locally; the list shows it pending until the platform has it, and is reloaded
 * when the outbox reports the platform's answer.
 */

export interface ReferralViewState {
  patientId: string | null;
  open: boolean;
  submitting: boolean;
  /** The refusal of the last submit, shown in the dialog (what was typed stays in it). */
  error: RelaisErrorShape | null;
  list: ReferralList | null;
  listError: RelaisErrorShape | null;
  recipients: ReferralRecipient[] | null;
  /** « Modifier » on a refused referral: the dialog starts from what was typed, and sending replaces it. */
  editing: { replaces: string; form: ReferralForm } | null;
}

export interface ReferralPanelsSource {
  getState(): { panels: { patientId: string | null } };
  subscribe(listener: () => void): () => void;
}
export class ReferralController extends ExternalStore<ReferralViewState> {
  private readonly answers = new OutboxAnswers(new Set(['referral']));

  constructor(
    private readonly client: RelaisClient,
    private readonly session: SessionPermissionsSource,
    private readonly panels: ReferralPanelsSource,
  ) {
    super({ patientId: null, open: false, submitting: false, error: null, list: null, listError: null, recipients: null, editing: null });
    this.own(
      panels.subscribe(() => this.follow()),
      onPermissionsChange(session, () => this.touch()),
      client.onEvent((e) => this.handleEvent(e)),
    );
    this.follow();
  }

  /** « Adresser » is shown only with referral.write; the core refuses it anyway. */
  canRefer(): boolean {
    return hasPermission(this.session, 'referral.write');
  }
  /** The clinical context is a medical entry: only who reads medical entries writes one. */
  canWriteClinical(): boolean {
    return hasPermission(this.session, 'journal.read-medical');
  }

  private follow(): void {
    const id = this.panels.getState().panels.patientId;
    if (id === this.state.patientId) return;
    this.set({ patientId: id, open: false, error: null, submitting: false, list: null, listError: null, editing: null });
    if (id) void this.load(id);
  }

  load = async (patientId = this.state.patientId): Promise<void> => {
    if (!patientId) return;
    const r = await this.client.call('referral.list', { patientId });
    if (this.state.patientId !== patientId) return;
    if (r.ok) this.set({ list: r.value, listError: null });
    else this.set({ listError: r.error });
  };

  openDialog = (): void => {
    this.set({ open: true, error: null, editing: null });
    if (!this.state.recipients) void this.loadRecipients();
  };
  close = (): void => {
    if (!this.state.submitting) this.set({ open: false, error: null, editing: null });
  };

  /**
   * « Modifier » on a refused referral (outbox list): the dialog opens with exactly what was typed
   * (files included); sending it replaces the refused one. False when there is nothing to take back.
   */
  editRefused = async (clientId: string): Promise<boolean> => {
    const form = await readRefusedForm(this.client, clientId, 'referral', RefusedReferralSchema);
    if (!form) return false;
    this.set({ open: true, error: null, editing: { replaces: clientId, form } });
    if (!this.state.recipients) void this.loadRecipients();
    return true;
  };

  private async loadRecipients(): Promise<void> {
    const r = await this.client.call('referral.recipients', {});
    this.set({ recipients: r.ok ? r.value : [] });
  }

  /** True when the outbox accepted it (the dialog closes); else the dialog keeps what was typed. */
  submit = async (request: ReferralForm): Promise<boolean> => {
    const patientId = this.state.patientId;
    if (!patientId || this.state.submitting) return false;
    this.set({ submitting: true, error: null });
    const replaces = this.state.editing?.replaces;
    const r = await this.client.call('referral.create', { ...request, patientId, ...(replaces ? { replaces } : {}) });
    if (!r.ok) {
      this.set({ submitting: false, error: r.error });
      return false;
    }
    this.set({ submitting: false, open: false, error: null, editing: null });
    await this.load(patientId);
    return true;
  };

  private handleEvent(event: RelaisEvent): void {
    if (event.type !== 'outbox-changed') return;
    let changed = false;
    for (const item of this.answers.answered(event.items)) {
      if (item.patientId === this.state.patientId) changed = true;
    }
    // The journal follows on its own (the outbox emits journal-updated when the entry is on the platform).
    if (changed) void this.load();
  }
}
