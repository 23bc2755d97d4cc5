import type { Admission, Checklist, ChecklistItem, Discharge, Permission, RelaisClient, RelaisErrorShape, RelaisEvent } from '../../contract';
import { ExternalStore } from '../../state/external-store';
import { hasPermission, onPermissionsChange, type SessionPermissionsSource } from '../../state/permissions-change';
import { OutboxAnswers } from '../../state/outbox-answers';

/**
 * « Séjours hospitaliers » of the patient on screen (issue 13): the emergency fiche (one click →
 * PDF shown at once, sending in the outbox), the discharges with their reconciliation, and the
 * checklist of each programmed admission still open. Permission-driven like the other features.
 */
export interface StaysViewState {
  patientId: string | null;
  establishments: { id: string; name: string; city: string | null }[] | null;
  establishmentId: string;
  ficheBusy: boolean;
  ficheUrl: string | null;
  ficheError: RelaisErrorShape | null;
  discharges: Discharge[] | null;
  admissions: Admission[];
  checklists: Record<string, Checklist>;
  error: RelaisErrorShape | null;
}

export interface StaysPanelsSource {
  getState(): { panels: { patientId: string | null } };
  subscribe(listener: () => void): () => void;
}
const browserUrls = {
  create: (data: Uint8Array) => URL.createObjectURL(new Blob([data as BlobPart], { type: 'application/pdf' })),
  revoke: (url: string) => URL.revokeObjectURL(url),
};

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const ESTABLISHMENTS_RETRY_MS = 3_000;

export class StaysController extends ExternalStore<StaysViewState> {
  private readonly answers = new OutboxAnswers(new Set(['checklist-tick', 'emergency-fiche']));
  private establishmentsLoading = false;
  private establishmentsRetry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: RelaisClient,
    private readonly session: SessionPermissionsSource,
    private readonly panels: StaysPanelsSource,
    private readonly urls = browserUrls,
  ) {
    super({ patientId: null, establishments: null, establishmentId: '', ficheBusy: false, ficheUrl: null, ficheError: null, discharges: null, admissions: [], checklists: {}, error: null });
    this.own(
      panels.subscribe(() => this.follow()),
      onPermissionsChange(session, () => {
        this.touch();
        void this.ensureEstablishments();
      }),
      () => clearTimeout(this.establishmentsRetry),
      client.onEvent((e) => this.handleEvent(e)),
    );
    this.follow();
  }

  can(p: Permission): boolean {
    return hasPermission(this.session, p);
  }

  private follow(): void {
    const id = this.panels.getState().panels.patientId;
    if (id === this.state.patientId) return;
    this.closeFiche();
    this.set({ patientId: id, discharges: null, admissions: [], checklists: {}, ficheError: null, error: null });
    if (id) void this.load(id);
  }

  load = async (patientId = this.state.patientId): Promise<void> => {
    if (!patientId) return;
    void this.ensureEstablishments();
    // Asked together and shown in one render: asked one after the other, the admissions answered
    // a round trip later, often while the window was painting the next patient (issue 12).
    const [r, a] = await Promise.all([
      this.can('journal.read-medical') ? this.client.call('stay.discharges', { patientId }) : null,
      this.client.call('admission.list', { patientId }),
    ]);
    if (this.state.patientId !== patientId) return;
    // Both sets run in the same microtask: React renders them once.
    if (r) this.set(r.ok ? { discharges: r.value } : { error: r.error });
    if (!a.ok) return;
    // The checklist is for programmed stays on the platform, not yet over.
    const open = a.value.admissions.filter((x) => !x.local && x.priority === 'routine' && ['requested', 'accepted', 'in-progress'].includes(x.status));
    this.set({ admissions: open });
    for (const adm of open) await this.loadChecklist(adm.id);
  };

  /**
   * The directory of establishments does not depend on the patient: loaded once, as soon as the
   * session may write, and tried again a few seconds after a failure (a slow or absent platform
   * must not leave the fiche without a recipient until the next patient).
   */
  private async ensureEstablishments(): Promise<void> {
    if (this.state.establishments || this.establishmentsLoading || !this.can('journal.write')) return;
    this.establishmentsLoading = true;
    clearTimeout(this.establishmentsRetry);
    try {
      const r = await this.client.call('stay.establishments', {});
      if (r.ok) this.set({ establishments: r.value, establishmentId: this.state.establishmentId || (r.value[0]?.id ?? '') });
      else this.establishmentsRetry = setTimeout(() => void this.ensureEstablishments(), ESTABLISHMENTS_RETRY_MS);
    } finally {
      this.establishmentsLoading = false;
    }
  }

  private async loadChecklist(admissionId: string): Promise<void> {
    const patientId = this.state.patientId;
    if (!patientId) return;
    const r = await this.client.call('stay.checklist', { patientId, admissionId });
    if (r.ok && this.state.patientId === patientId) this.set({ checklists: { ...this.state.checklists, [admissionId]: r.value } });
  }

  chooseEstablishment = (id: string): void => this.set({ establishmentId: id });

  /** One click: the PDF comes back at once (shown to print), the sending goes through the outbox. */
  emergencyFiche = async (): Promise<void> => {
    const patientId = this.state.patientId;
    if (!patientId || this.state.ficheBusy || !this.state.establishmentId) return;
    this.set({ ficheBusy: true, ficheError: null });
    const r = await this.client.call('stay.emergencyFiche', { patientId, establishmentId: this.state.establishmentId });
    if (this.state.patientId !== patientId) return;
    this.closeFiche();
    if (r.ok) this.set({ ficheBusy: false, ficheUrl: this.urls.create(base64ToBytes(r.value.pdfBase64)) });
    else this.set({ ficheBusy: false, ficheError: r.error });
  };

  closeFiche = (): void => {
    if (this.state.ficheUrl) this.urls.revoke(this.state.ficheUrl);
    if (this.state.ficheUrl) this.set({ ficheUrl: null });
  };

  tick = async (admissionId: string, item: ChecklistItem): Promise<void> => {
    const patientId = this.state.patientId;
    if (!patientId) return;
    const r = await this.client.call('stay.checklist.tick', { patientId, admissionId, item });
    if (!r.ok) this.set({ error: r.error });
    await this.loadChecklist(admissionId);
  };

  private handleEvent(event: RelaisEvent): void {
    // A discharge letter lands as a journal entry; an event without entries stored nothing.
    if (event.type === 'journal-updated' && event.patientId === this.state.patientId && event.entries.length > 0) {
      void this.load();
      return;
    }
    if (event.type !== 'outbox-changed') return;
    const answered = this.answers.answered(event.items).filter((i) => i.patientId === this.state.patientId);
    if (answered.some((i) => i.kind === 'checklist-tick')) for (const a of this.state.admissions) void this.loadChecklist(a.id);
  }
}
