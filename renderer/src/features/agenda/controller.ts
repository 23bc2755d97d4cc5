import {
  AdmissionRequestSchema,
  type Admission,
  type AdmissionList,
  type AdmissionRequest,
  type Appointment,
  type AppointmentBookRequest,
  type Establishment,
  type Permission,
  type RelaisClient,
  type RelaisErrorShape,
  type RelaisEvent,
} from '../../contract';
import { ExternalStore } from '../../state/external-store';
import { hasPermission, onPermissionsChange, type SessionPermissionsSource } from '../../state/permissions-change';
import { OutboxAnswers } from '../../state/outbox-answers';
import { readRefusedForm } from '../../state/refused-form';

/** What the admission dialog sends (the patient is the one on screen). */
export type AdmissionForm = Omit<AdmissionRequest, 'patientId' | 'replaces'>;
const RefusedAdmissionSchema = AdmissionRequestSchema.omit({ patientId: true, replaces: true });

/**
 * Appointments and admission requests of the patient on screen, outside React (an
 * ExternalStore): the open dialog, what is being sent, the admissions list. Writes go through
 * the outbox: a call answers once the change is accepted locally; the agenda then shows it pending
 * (patient.panels lays it over) until the platform has it, and is reloaded when the outbox moves.
 */

export type AgendaDialog =
  | { kind: 'book'; initial?: Partial<AppointmentBookRequest>; fromClientId?: string }
  | { kind: 'reschedule'; appointment: Appointment; initial?: { start?: string; durationMinutes?: number }; fromClientId?: string }
  | { kind: 'cancel'; appointment: Appointment }
  /** `initial` and `replaces`: « Modifier » on a refused request (sending it replaces that outbox item). */
  | { kind: 'admission'; initial?: AdmissionForm; replaces?: string }
  /** « Annuler » / « Relancer » an admission request, with a reason (issue 15). */
  | { kind: 'admission-change'; action: 'cancel' | 'remind'; admission: Admission };

export interface AgendaViewState {
  patientId: string | null;
  dialog: AgendaDialog | null;
  submitting: boolean;
  /** The refusal of the last submit, shown in the dialog (what was typed stays in it). */
  error: RelaisErrorShape | null;
  admissions: AdmissionList | null;
  admissionsError: RelaisErrorShape | null;
  establishments: Establishment[] | null;
}

/** The panels controller as seen from here: the patient on screen and a way to reload the agenda. */
export interface AgendaPanelsSource {
  getState(): { panels: { patientId: string | null } };
  subscribe(listener: () => void): () => void;
  reload(): Promise<void>;
}

const WATCHED = new Set(['appointment', 'admission-request', 'admission-update']);

export class AgendaController extends ExternalStore<AgendaViewState> {
  private readonly answers = new OutboxAnswers(WATCHED);

  constructor(
    private readonly client: RelaisClient,
    private readonly session: SessionPermissionsSource,
    private readonly panels: AgendaPanelsSource,
  ) {
    super({ patientId: null, dialog: null, submitting: false, error: null, admissions: null, admissionsError: null, establishments: null });
    this.own(
      panels.subscribe(() => this.follow()),
      onPermissionsChange(session, () => this.touch()),
      client.onEvent((e) => this.handleEvent(e)),
    );
    this.follow();
  }

  /** The UI hides what the role cannot do; the core refuses it anyway. */
  can(permission: Permission): boolean {
    return hasPermission(this.session, permission);
  }

  private follow(): void {
    const id = this.panels.getState().panels.patientId;
    if (id === this.state.patientId) return;
    this.set({ patientId: id, dialog: null, error: null, submitting: false, admissions: null, admissionsError: null });
    if (id) void this.loadAdmissions(id);
  }

  loadAdmissions = async (patientId = this.state.patientId): Promise<void> => {
    if (!patientId) return;
    const r = await this.client.call('admission.list', { patientId });
    if (this.state.patientId !== patientId) return;
    if (r.ok) this.set({ admissions: r.value, admissionsError: null });
    else this.set({ admissionsError: r.error });
  };

  // ---- dialogs ----

  openBook = (): void => this.set({ dialog: { kind: 'book' }, error: null });
  openReschedule = (appointment: Appointment): void => this.set({ dialog: { kind: 'reschedule', appointment }, error: null });
  openCancel = (appointment: Appointment): void => this.set({ dialog: { kind: 'cancel', appointment }, error: null });
  openAdmission = (): void => {
    this.set({ dialog: { kind: 'admission' }, error: null });
    if (!this.state.establishments) void this.loadEstablishments();
  };
  close = (): void => {
    if (!this.state.submitting) this.set({ dialog: null, error: null });
  };

  /** A refused change: the dialog again, filled with what was typed, on the platform's current version. */
  resume = (appointment: Appointment): void => {
    const change = appointment.change;
    if (!change) return;
    if (change.action === 'book') {
      this.set({
        dialog: {
          kind: 'book',
          fromClientId: change.clientId,
          initial: {
            ...(change.requested.start ? { start: change.requested.start } : {}),
            ...(change.requested.durationMinutes ? { durationMinutes: change.requested.durationMinutes } : {}),
            ...(change.requested.motive ? { motive: change.requested.motive } : {}),
            ...(change.requested.with ? { with: change.requested.with } : {}),
          },
        },
        error: null,
      });
    } else if (change.action === 'reschedule') {
      this.set({
        dialog: {
          kind: 'reschedule',
          appointment,
          fromClientId: change.clientId,
          initial: {
            ...(change.requested.start ? { start: change.requested.start } : {}),
            ...(change.requested.durationMinutes ? { durationMinutes: change.requested.durationMinutes } : {}),
          },
        },
        error: null,
      });
    } else {
      this.set({ dialog: { kind: 'cancel', appointment }, error: null });
    }
  };

  dismiss = async (appointment: Appointment): Promise<void> => {
    const patientId = this.state.patientId;
    if (!patientId || !appointment.change) return;
    await this.client.call('appointment.dismissChange', { patientId, clientId: appointment.change.clientId });
    await this.panels.reload();
  };

  private async loadEstablishments(): Promise<void> {
    const r = await this.client.call('admission.establishments', {});
    if (r.ok) this.set({ establishments: r.value });
    else this.set({ establishments: [] });
  }

  // ---- submits: true when the outbox accepted it (the dialog closes) ----

  private async submit(call: () => Promise<{ ok: true } | { ok: false; error: RelaisErrorShape }>, after: () => Promise<void>, supersedes?: string): Promise<boolean> {
    if (this.state.submitting) return false;
    this.set({ submitting: true, error: null });
    const r = await call();
    if (!r.ok) {
      this.set({ submitting: false, error: r.error });
      return false;
    }
    // The retried change replaces the refused one in the agenda.
    if (supersedes && this.state.patientId) await this.client.call('appointment.dismissChange', { patientId: this.state.patientId, clientId: supersedes });
    this.set({ submitting: false, dialog: null, error: null });
    await after();
    return true;
  }

  book = (request: Omit<AppointmentBookRequest, 'patientId'>): Promise<boolean> => {
    const patientId = this.state.patientId;
    const from = this.state.dialog?.kind === 'book' ? this.state.dialog.fromClientId : undefined;
    if (!patientId) return Promise.resolve(false);
    return this.submit(() => this.client.call('appointment.book', { ...request, patientId }), () => this.panels.reload(), from);
  };

  reschedule = (appointment: Appointment, start: string, durationMinutes: number): Promise<boolean> => {
    const patientId = this.state.patientId;
    const from = this.state.dialog?.kind === 'reschedule' ? this.state.dialog.fromClientId : undefined;
    if (!patientId || !appointment.version) return Promise.resolve(false);
    return this.submit(
      () => this.client.call('appointment.reschedule', { patientId, appointmentId: appointment.id, version: appointment.version!, start, durationMinutes }),
      () => this.panels.reload(),
      from,
    );
  };

  cancel = (appointment: Appointment, reason: string): Promise<boolean> => {
    const patientId = this.state.patientId;
    if (!patientId || !appointment.version) return Promise.resolve(false);
    return this.submit(
      () => this.client.call('appointment.cancel', { patientId, appointmentId: appointment.id, version: appointment.version!, reason }),
      () => this.panels.reload(),
    );
  };

  openAdmissionChange = (action: 'cancel' | 'remind', admission: Admission): void => {
    this.set({ dialog: { kind: 'admission-change', action, admission }, error: null });
  };

  changeAdmission = (action: 'cancel' | 'remind', admission: Admission, reason: string): Promise<boolean> => {
    const patientId = this.state.patientId;
    if (!patientId) return Promise.resolve(false);
    const method = action === 'cancel' ? 'admission.cancel' : 'admission.remind';
    return this.submit(() => this.client.call(method, { patientId, admissionId: admission.id, reason }), () => this.loadAdmissions(patientId));
  };

  requestAdmission = (request: AdmissionForm): Promise<boolean> => {
    const patientId = this.state.patientId;
    if (!patientId) return Promise.resolve(false);
    const d = this.state.dialog;
    const replaces = d?.kind === 'admission' ? d.replaces : undefined;
    return this.submit(() => this.client.call('admission.request', { ...request, patientId, ...(replaces ? { replaces } : {}) }), () => this.loadAdmissions(patientId));
  };

  /**
   * « Modifier » on a refused admission request (outbox list): the dialog opens with exactly what
   * was typed (files included); sending replaces the refused request. False when nothing is left to take back.
   */
  editRefusedAdmission = async (clientId: string): Promise<boolean> => {
    const initial = await readRefusedForm(this.client, clientId, 'admission-request', RefusedAdmissionSchema);
    if (!initial) return false;
    this.set({ dialog: { kind: 'admission', initial, replaces: clientId }, error: null });
    if (!this.state.establishments) void this.loadEstablishments();
    return true;
  };

  private handleEvent(event: RelaisEvent): void {
    if (event.type !== 'outbox-changed') return;
    let agenda = false;
    let admissions = false;
    for (const item of this.answers.answered(event.items)) {
      if (item.patientId !== this.state.patientId) continue;
      if (item.kind === 'appointment') agenda = true;
      else admissions = true;
    }
    if (agenda) void this.panels.reload();
    if (admissions) void this.loadAdmissions();
  }
}
