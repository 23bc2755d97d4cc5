import type { RelaisClient, SupportRequestContext, SupportRequestCreateRequest, SupportRequestList } from '../../contract';
import { PatientRequestsController, type PanelsPatientSource, type PatientRequestsState } from '../../state/patient-requests';
import type { SessionPermissionsSource } from '../../state/permissions-change';

/**
 * « Demandes d'appui » of the patient on screen (issue 13), outside React like the referral
 * controller: the dialog (with the cell and the pre-filled values the core gives), what is being
 * sent, the list with the steps the cell reached. Reloaded when the outbox reports the platform's
 * answer, when the journal brings news (the cell's steps arrive as entries), and on `refresh`.
 */

export interface SupportViewState extends PatientRequestsState<SupportRequestList> {
  context: SupportRequestContext | null;
}

export class SupportRequestController extends PatientRequestsController<SupportViewState, SupportRequestList, Omit<SupportRequestCreateRequest, 'patientId'>> {
  constructor(client: RelaisClient, session: SessionPermissionsSource, panels: PanelsPatientSource) {
    super(client, session, panels, { patientId: null, open: false, submitting: false, error: null, list: null, listError: null, context: null }, 'support-request');
    this.follow();
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
  protected override resetForPatient(): Partial<SupportViewState> {
    return { context: null };
  }
  protected fetchList(patientId: string) {
    return this.client.call('supportRequest.list', { patientId });
  }
  protected send(patientId: string, request: Omit<SupportRequestCreateRequest, 'patientId'>) {
    return this.client.call('supportRequest.create', { ...request, patientId });
  }

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
}
