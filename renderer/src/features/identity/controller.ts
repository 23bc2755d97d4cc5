import type { LaunchContext, Patient, RelaisClient, RelaisErrorShape, RelaisEvent, Result, TraitDiscrepancy } from '../../contract';
import { ExternalStore } from '../../state/external-store';

/** A launch held because the practice software's traits differ from the platform's. */
export interface IdentityCheck {
  confirmationId: string;
  launch: LaunchContext;
  patient: Patient;
  discrepancies: TraitDiscrepancy[];
  answering: boolean;
}

/** A launch without INS: the professional chooses among the platform's candidates. */
export interface PatientSelection {
  selectionId: string;
  launch: LaunchContext;
  candidates: Patient[];
  answering: boolean;
}

export interface IdentityState {
  identityCheck: IdentityCheck | null;
  selection: PatientSelection | null;
  /**
   * Patients opened although the practice software's traits differed (the GP confirmed): the
   * banner keeps a visible marker for the rest of the session (issue 15).
   */
  confirmedDiscrepancies: Record<string, TraitDiscrepancy[]>;
}

/**
 * Identity vigilance, the window's side: the core holds a launch whose traits differ
 * (`identity-confirmation-required`) or that has no INS (`patient-candidates`); only the
 * professional's answer opens a patient, which is then handed to `show`.
 */
export class IdentityController extends ExternalStore<IdentityState> {
  constructor(
    private readonly client: RelaisClient,
    private readonly show: (patient: Patient) => void,
    private readonly showError: (error: RelaisErrorShape) => void,
  ) {
    super({ identityCheck: null, selection: null, confirmedDiscrepancies: {} });
    this.own(client.onEvent((e) => this.handleEvent(e)));
  }

  answerIdentityCheck = (confirmed: boolean): Promise<void> => {
    const check = this.state.identityCheck;
    return this.answer('identityCheck', (held) => this.client.call('patient.confirmIdentity', { confirmationId: held.confirmationId, confirmed }), (opened) => {
      if (confirmed && check && opened.id === check.patient.id) {
        this.set({ confirmedDiscrepancies: { ...this.state.confirmedDiscrepancies, [opened.id]: check.discrepancies } });
      }
    });
  };

  answerSelection = (patientId: string | null): Promise<void> =>
    this.answer('selection', (sel) => this.client.call('patient.choose', { selectionId: sel.selectionId, patientId }));

  /** One answer per held launch; the patient it opens, if any, goes on screen. */
  private async answer<K extends 'identityCheck' | 'selection'>(
    key: K,
    call: (held: NonNullable<IdentityState[K]>) => Promise<Result<{ opened?: { patient: Patient } | null }>>,
    onOpened?: (patient: Patient) => void,
  ): Promise<void> {
    const held = this.state[key];
    if (!held || held.answering) return;
    this.set({ [key]: { ...held, answering: true } });
    const r = await call(held);
    this.set({ [key]: null });
    if (!r.ok) this.showError(r.error);
    else if (r.value.opened) {
      onOpened?.(r.value.opened.patient);
      this.show(r.value.opened.patient);
    }
  }

  private handleEvent(event: RelaisEvent): void {
    if (event.type === 'patient-candidates') {
      this.set({ selection: { selectionId: event.selectionId, launch: event.launch, candidates: event.candidates, answering: false } });
    } else if (event.type === 'identity-confirmation-required') {
      const { confirmationId, launch, patient, discrepancies } = event;
      this.set({ identityCheck: { confirmationId, launch, patient, discrepancies, answering: false } });
    }
  }
}
