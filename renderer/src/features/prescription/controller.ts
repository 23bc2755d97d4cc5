import {
  PrescriptionDraftContentSchema,
  ageInYears,
  emptyPrescriptionLine,
  medicationLabel,
  validatePrescription,
  type ClinicalSummary,
  type DrugHit,
  type DrugRelease,
  type Moment,
  type OutboxItem,
  type PatientPanels,
  type Patient,
  type PrescriptionDraftContent,
  type PrescriptionDraftLine,
  type PrescriptionFieldError,
  type RelaisClient,
  type RelaisErrorShape,
} from '../../contract';
import { ExternalStore } from '../../state/external-store';
import { readRefusedForm } from '../../state/refused-form';
import { defaultUnitForForm } from './drug-line';

/**
 * The e-prescription composer's state, outside React (an ExternalStore).
 * The draft is saved as typed (debounced, and at once on close or patient change) through
 * `prescription.draft.save`, so a restart, another patient or a refusal never loses it.
 */
export interface PrescriptionViewState {
  open: boolean;
  patient: Patient | null;
  draft: PrescriptionDraftContent;
  errors: PrescriptionFieldError[];
  /** Errors are shown once the GP asked for a preview or to send (not while typing the first line). */
  showErrors: boolean;
  /** blob: URL of the preview PDF. */
  previewUrl: string | null;
  busy: 'loading' | 'preview' | 'post' | null;
  error: RelaisErrorShape | null;
  /** The last prescription handed to the outbox (the window follows its status). */
  posted: OutboxItem | null;
  /** Drug search of one line (search as you type). */
  search: { lineKey: string | null; query: string; hits: DrugHit[]; loading: boolean };
  /** The BDPM release in use (null: none, or not asked yet). */
  release: DrugRelease | null;
  /** The patient's panels (treatments) shown beside the lines; null while unknown. */
  panels: PatientPanels | null;
  /**
   * The patient's allergies as the platform has them (patient.clinicalSummary), beside the lines:
   * 'loading' until answered, 'unavailable' when the summary could not be read or this role does
   * not see it.
   */
  allergies: NonNullable<ClinicalSummary['allergies']> | 'loading' | 'unavailable';
  /** blob: URL of the ordonnance just sent, to print and sign by hand. */
  printUrl: string | null;
  /**
   * How « send » signs (session.current): with the CPS card's signature key after the PIN, not at
   * all (demo identity), or printed for a handwritten signature (no card).
   */
  signing: 'card' | 'demo' | 'print';
  /** The PIN prompt of a card signature is shown (the PIN itself lives in the prompt only). */
  pinAsked: boolean;
  /**
   * « Modifier » on a refused ordonnance: its outbox item, which the next send replaces. The send
   * is a new ordonnance (new id and date, signed again): a signature is never carried over.
   */
  replaces: string | null;
}

/** Where the composer reads the patient's current treatments (the panels controller). */
export interface PrescriptionPanelsSource {
  getState(): { panels: { patientId: string | null; data: PatientPanels | null } };
  subscribe(listener: () => void): () => void;
}

export interface PrescriptionSource {
  getState(): { patient: Patient | null };
  subscribe(listener: () => void): () => void;
}

export interface PrescriptionControllerOptions {
  /** A posted prescription reached the platform: the treatments panel should reload. */
  onSent?: () => void;
  /** Autosave delay (ms). */
  saveDelayMs?: number;
  today?: () => string;
  /** Blob URLs (injected so tests without a DOM can run the controller). */
  urls?: { create(data: Uint8Array, type: string): string; revoke(url: string): void };
  /** The panels (current treatments shown beside the lines). */
  panels?: PrescriptionPanelsSource;
  /** Search-as-you-type delay (ms). */
  searchDelayMs?: number;
}

const NO_SEARCH = { lineKey: null, query: '', hits: [], loading: false };

const EMPTY: PrescriptionDraftContent = { lines: [], weightKg: '' };

let keySeq = 0;
const newKey = (): string => `l${Date.now().toString(36)}-${++keySeq}`;

const browserUrls = {
  create: (data: Uint8Array, type: string) => URL.createObjectURL(new Blob([data as BlobPart], { type })),
  revoke: (url: string) => URL.revokeObjectURL(url),
};

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export class PrescriptionController extends ExternalStore<PrescriptionViewState> {
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  private dirty = false;
  private followPanels: (() => void) | null = null;

  constructor(
    private readonly client: RelaisClient,
    private readonly patients: PrescriptionSource,
    private readonly options: PrescriptionControllerOptions = {},
  ) {
    super({
      open: false,
      patient: null,
      draft: EMPTY,
      errors: [],
      showErrors: false,
      previewUrl: null,
      busy: null,
      error: null,
      posted: null,
      search: NO_SEARCH,
      release: null,
      panels: null,
      allergies: 'loading',
      printUrl: null,
      signing: 'print',
      pinAsked: false,
      replaces: null,
    });
    const panels = options.panels;
    if (panels) {
      const follow = () => {
        const p = panels.getState().panels;
        const data = p.data && p.data.patientId === this.state.patient?.id ? p.data : null;
        if (data !== this.state.panels) this.set({ panels: data });
      };
      this.own(panels.subscribe(follow));
      this.followPanels = follow;
    }
    this.own(
      // Another patient on screen: what was typed is saved for the previous one, the dialog closes.
      patients.subscribe(() => {
        const id = patients.getState().patient?.id ?? null;
        if (this.state.open && this.state.patient && this.state.patient.id !== id) void this.close();
      }),
      client.onEvent((e) => {
        if (e.type !== 'outbox-changed' || !this.state.posted) return;
        const item = e.items.find((i) => i.id === this.state.posted?.id);
        if (!item || item.status === this.state.posted.status) return;
        this.set({ posted: item });
        if (item.status === 'sent') this.options.onSent?.();
      }),
    );
  }

  private age(): number | null {
    const p = this.state.patient;
    const today = this.options.today?.() ?? new Date().toISOString().slice(0, 10);
    return p ? ageInYears(p.birthDate, today) : null;
  }

  /** Opens the composer for the patient on screen, with their saved draft (or one empty line). */
  openFor = async (patient: Patient): Promise<void> => {
    this.set({ open: true, patient, draft: { lines: [emptyPrescriptionLine(newKey())], weightKg: '' }, errors: [], showErrors: false, error: null, busy: 'loading', search: NO_SEARCH, replaces: null });
    this.clearPreview();
    this.clearPrint();
    this.followPanels?.();
    this.set({ allergies: 'loading' });
    void this.client.call('patient.clinicalSummary', { patientId: patient.id }).then((r) => {
      if (this.state.patient?.id === patient.id) this.set({ allergies: r.ok && r.value.allergies !== null ? r.value.allergies : 'unavailable' });
    });
    void this.client.call('prescription.drugs.release', {}).then((r) => r.ok && this.set({ release: r.value }));
    void this.client.call('session.current', {}).then((s) => {
      if (s.ok) this.set({ signing: s.value.method === 'card' && s.value.card ? 'card' : s.value.demo ? 'demo' : 'print' });
    });
    const r = await this.client.call('prescription.draft.get', { patientId: patient.id });
    if (this.state.patient?.id !== patient.id) return;
    if (r.ok && r.value) this.set({ draft: { lines: r.value.lines, weightKg: r.value.weightKg }, busy: null });
    else this.set({ busy: null, ...(r.ok ? {} : { error: r.error }) });
  };

  /**
   * « Modifier » on a refused ordonnance (outbox list): the composer opens with exactly the lines
   * that were typed; sending makes a new ordonnance that replaces the refused one. False when the
   * item is no longer refused (nothing opens).
   */
  editRefused = async (patient: Patient, clientId: string): Promise<boolean> => {
    const draft = await readRefusedForm(this.client, clientId, 'prescription', PrescriptionDraftContentSchema);
    if (!draft) return false;
    await this.openFor(patient);
    if (this.state.patient?.id !== patient.id) return false;
    // Saved as the patient's draft at once: closing the composer keeps what was typed.
    this.edit(draft);
    this.set({ replaces: clientId });
    return true;
  };

  /** Closes the dialog; the draft is saved first (it is offered again next time). */
  close = async (): Promise<void> => {
    await this.flush();
    this.clearPreview();
    this.clearPrint();
    this.set({ open: false, error: null, search: NO_SEARCH });
  };

  /**
   * The GP types in a line's medication field: the text is kept (a free-text line until a drug
   * is chosen; typing again after a choice drops it) and the database is searched after a pause.
   */
  searchDrugs = (key: string, query: string): void => {
    const line = this.state.draft.lines.find((l) => l.key === key);
    if (!line) return;
    this.updateLine(key, line.drug ? { medication: query, drug: null, nonSubstitutable: false, nonSubstitutableReason: null } : { medication: query });
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const seq = ++this.searchSeq;
    if (query.trim().length < 2) {
      this.set({ search: { lineKey: key, query, hits: [], loading: false } });
      return;
    }
    this.set({ search: { ...this.state.search, lineKey: key, query, loading: true } });
    this.searchTimer = setTimeout(async () => {
      const r = await this.client.call('prescription.drugs.search', { query });
      // A newer keystroke won: its answer is the one to show.
      if (seq !== this.searchSeq) return;
      if (r.ok) this.set({ search: { lineKey: key, query, hits: r.value.hits, loading: false }, release: r.value.release });
      else this.set({ search: { lineKey: key, query, hits: [], loading: false }, error: r.error });
    }, this.options.searchDelayMs ?? 150);
  };

  /** Closes the result list (Escape, focus leaving) without changing the line. */
  closeSearch = (): void => {
    this.searchSeq++;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.set({ search: NO_SEARCH });
  };

  /** A drug chosen in the list: DCI-first label, the BDPM route and a unit from its form. */
  chooseDrug = (key: string, hit: DrugHit): void => {
    const line = this.state.draft.lines.find((l) => l.key === key);
    if (!line) return;
    const drug = hit.choice;
    this.closeSearch();
    this.updateLine(key, {
      drug,
      medication: medicationLabel(drug),
      route: drug.routes.length === 1 ? `voie ${drug.routes[0]}` : line.route,
      doseUnit: line.doseUnit || defaultUnitForForm(drug.form),
      nonSubstitutable: false,
      nonSubstitutableReason: null,
      ...(drug.rules.narcotic ? { renewals: '0' } : {}),
    });
  };

  /** Back to a free-text line (the text stays as it was). */
  clearDrug = (key: string): void => {
    this.updateLine(key, { drug: null, nonSubstitutable: false, nonSubstitutableReason: null });
  };

  toggleMoment = (key: string, moment: Moment): void => {
    const line = this.state.draft.lines.find((l) => l.key === key);
    if (!line) return;
    const moments = line.moments.includes(moment) ? line.moments.filter((m) => m !== moment) : [...line.moments, moment];
    this.updateLine(key, { moments, ...(moments.length > 0 ? { perDay: '' } : {}) });
  };

  private clearPrint(): void {
    if (this.state.printUrl) (this.options.urls ?? browserUrls).revoke(this.state.printUrl);
    if (this.state.printUrl) this.set({ printUrl: null });
  }

  private edit(draft: PrescriptionDraftContent): void {
    const errors = validatePrescription(draft, this.age());
    this.set({ draft, errors: errors.ok ? [] : errors.errors });
    this.clearPreview();
    this.dirty = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.flush(), this.options.saveDelayMs ?? 400);
  }

  updateLine = (key: string, patch: Partial<Omit<PrescriptionDraftLine, 'key'>>): void => {
    this.edit({ ...this.state.draft, lines: this.state.draft.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)) });
  };
  addLine = (): string => {
    const key = newKey();
    this.edit({ ...this.state.draft, lines: [...this.state.draft.lines, emptyPrescriptionLine(key)] });
    return key;
  };
  removeLine = (key: string): void => {
    this.edit({ ...this.state.draft, lines: this.state.draft.lines.filter((l) => l.key !== key) });
  };
  setWeight = (weightKg: string): void => {
    this.edit({ ...this.state.draft, weightKg });
  };

  /** Saves the draft now (close, patient change, before a preview or a post). */
  flush = async (): Promise<void> => {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const patient = this.state.patient;
    if (!this.dirty || !patient) return;
    this.dirty = false;
    const r = await this.client.call('prescription.draft.save', { patientId: patient.id, draft: this.state.draft });
    if (!r.ok) {
      this.dirty = true;
      this.set({ error: r.error });
    }
  };

  private check(): boolean {
    const v = validatePrescription(this.state.draft, this.age());
    this.set({ showErrors: true, errors: v.ok ? [] : v.errors });
    return v.ok;
  }

  private clearPreview(): void {
    if (this.state.previewUrl) (this.options.urls ?? browserUrls).revoke(this.state.previewUrl);
    if (this.state.previewUrl) this.set({ previewUrl: null });
  }

  preview = async (): Promise<void> => {
    const patient = this.state.patient;
    if (!patient || this.state.busy || !this.check()) return;
    this.set({ busy: 'preview', error: null });
    await this.flush();
    const r = await this.client.call('prescription.pdf', { patientId: patient.id, draft: this.state.draft });
    if (this.state.patient?.id !== patient.id) return;
    this.clearPreview();
    if (r.ok) this.set({ busy: null, previewUrl: (this.options.urls ?? browserUrls).create(base64ToBytes(r.value.pdfBase64), 'application/pdf') });
    else this.set({ busy: null, error: r.error });
  };

  /** « Envoyer »: with a card the PIN is asked first (sign), otherwise the ordonnance goes unsigned (post). */
  send = async (): Promise<boolean> => {
    if (this.state.signing !== 'card') return this.post();
    if (!this.state.patient || this.state.busy || !this.check()) return false;
    this.set({ pinAsked: true, error: null });
    return false;
  };

  cancelPin = (): void => {
    this.set({ pinAsked: false });
  };

  /**
   * Signs with the card (prescription.sign) and enqueues. The PIN is an argument of this call
   * only: never put in the state, never kept (docs/card-sign-in.md « PIN handling »).
   */
  sign = async (pin: string): Promise<boolean> => {
    const patient = this.state.patient;
    if (!patient || this.state.busy || !this.check()) return false;
    this.set({ busy: 'post', error: null });
    await this.flush();
    const replaces = this.state.replaces;
    const r = await this.client.call('prescription.sign', { patientId: patient.id, draft: this.state.draft, pin, ...(replaces ? { replaces } : {}) });
    if (!r.ok) {
      // A wrong PIN keeps the prompt open (tries left shown); anything else closes it.
      this.set({ busy: null, error: r.error, pinAsked: r.error.code === 'PIN_INCORRECT' });
      return false;
    }
    this.clearPreview();
    this.dirty = false;
    this.set({ busy: null, open: false, pinAsked: false, posted: r.value.item, draft: EMPTY, errors: [], showErrors: false, replaces: null });
    return true;
  };

  /** Unsigned send (demo identity, or printed for signature): enqueued in the outbox; on any refusal the draft stays as typed. */
  post = async (): Promise<boolean> => {
    const patient = this.state.patient;
    if (!patient || this.state.busy || !this.check()) return false;
    this.set({ busy: 'post', error: null });
    await this.flush();
    const replaces = this.state.replaces;
    const r = await this.client.call('prescription.post', { patientId: patient.id, draft: this.state.draft, ...(replaces ? { replaces } : {}) });
    if (!r.ok) {
      this.set({ busy: null, error: r.error });
      return false;
    }
    this.clearPreview();
    this.dirty = false;
    // The ordonnance to print and sign by hand stays on screen; without one the dialog closes.
    const pdf = r.value.pdfBase64;
    const printUrl = pdf ? (this.options.urls ?? browserUrls).create(base64ToBytes(pdf), 'application/pdf') : null;
    this.set({ busy: null, open: printUrl !== null, posted: r.value.item, draft: EMPTY, errors: [], showErrors: false, printUrl, replaces: null });
    return true;
  };
}
