import type { LaunchContext, Patient, RelaisClient, RelaisErrorShape, RelaisEvent } from '../../contract';
import { launchContextOf } from '../../format';
import { ExternalStore } from '../../state/external-store';

/**
 * The patient list and the patient on screen: opened from the list, by a launch of the practice
 * software (`patient-changed`), from an offer while « Suivre le logiciel du cabinet » is off, or
 * by the identity controller once a held launch is answered. The journal, draft and panels
 * controllers follow `patient` from here.
 */
export interface PatientsState {
  patients: Patient[] | null;
  patientsLoading: boolean;
  openingPatientId: string | null;
  patient: Patient | null;
  /** The practice software shows this patient while "follow" is off: offered, not opened. */
  lgcOffer: LaunchContext | null;
  /** The launch of the patient on screen named another practitioner (RPPS) than the one signed in. */
  practitionerWarning: { patientId: string; launchedRpps: string } | null;
}

export interface Perf {
  mark(name: string): void;
}

export interface ErrorSink {
  show(error: RelaisErrorShape): void;
  dismiss(): void;
}

export class PatientsController extends ExternalStore<PatientsState> {
  constructor(
    private readonly client: RelaisClient,
    private readonly errors: ErrorSink,
    private readonly perf: Perf = globalThis.performance,
  ) {
    super({ patients: null, patientsLoading: false, openingPatientId: null, patient: null, lgcOffer: null, practitionerWarning: null });
    this.own(client.onEvent((e) => this.handleEvent(e)));
  }

  loadPatients = async (): Promise<void> => {
    this.set({ patientsLoading: true });
    const r = await this.client.call('patient.list', {});
    if (r.ok) this.set({ patients: r.value, patientsLoading: false });
    else {
      this.set({ patientsLoading: false });
      this.errors.show(r.error);
    }
  };

  openPatient = async (patient: Patient): Promise<void> => {
    const ctx = launchContextOf(patient);
    if (!ctx || this.state.openingPatientId !== null) return;
    this.set({ openingPatientId: patient.id });
    const r = await this.client.call('patient.open', ctx);
    this.set({ openingPatientId: null });
    if (r.ok) this.show(r.value.patient);
    else this.errors.show(r.error);
  };

  /** Puts a patient on screen (the followers switch when the id changes). */
  show = (patient: Patient): void => {
    // A successful open supersedes a previous launch error.
    this.errors.dismiss();
    // The warning belongs to the patient it came with (it arrives just after patient-changed).
    const warning = this.state.practitionerWarning;
    this.set({ patient, practitionerWarning: warning?.patientId === patient.id ? warning : null });
  };

  dismissPractitionerWarning = (): void => {
    this.set({ practitionerWarning: null });
  };

  openLgcOffer = async (): Promise<void> => {
    const offer = this.state.lgcOffer;
    if (!offer) return;
    this.set({ lgcOffer: null });
    const r = await this.client.call('patient.open', offer);
    if (r.ok) this.show(r.value.patient);
    else if (r.error.code !== 'IDENTITY_MISMATCH') this.errors.show(r.error);
  };

  dismissLgcOffer = (): void => {
    this.set({ lgcOffer: null });
  };

  private handleEvent(event: RelaisEvent): void {
    switch (event.type) {
      case 'patient-changed':
        this.perf.mark('relais:launch-received');
        this.show(event.patient);
        return;
      case 'launch-failed':
        this.errors.show(event.error);
        return;
      case 'lgc-context-changed':
        this.set({ lgcOffer: event.launch });
        return;
      case 'practitioner-mismatch':
        this.set({ practitionerWarning: { patientId: event.patientId, launchedRpps: event.launchedRpps } });
        return;
    }
  }
}
