import type { OpinionCreateRequest, OpinionList, OpinionReferent, RelaisClient } from '../../contract';
import { PatientRequestsController, type PanelsPatientSource, type PatientRequestsState } from '../../state/patient-requests';
import type { SessionPermissionsSource } from '../../state/permissions-change';

/**
 * « Avis demandés » of the patient on screen (issue 13 item 2), outside React like the support
 * controller: the dialog (with the directory's referents), what is being sent, the list with the
 * answers. Reloaded when the outbox reports the platform's answer, when the journal brings news
 * (the referent's answer arrives as an entry), and on `load`.
 */

export interface OpinionViewState extends PatientRequestsState<OpinionList> {
  referents: OpinionReferent[] | null;
}

export class OpinionController extends PatientRequestsController<OpinionViewState, OpinionList, Omit<OpinionCreateRequest, 'patientId'>> {
  constructor(client: RelaisClient, session: SessionPermissionsSource, panels: PanelsPatientSource) {
    super(client, session, panels, { patientId: null, open: false, submitting: false, error: null, list: null, listError: null, referents: null }, 'opinion-request');
    this.follow();
  }

  /** Care professionals who read medical entries (GP, nurse): the question and photos are medical. */
  canAsk(): boolean {
    return this.has('journal.write') && this.has('journal.read-medical');
  }
  protected override canList(): boolean {
    return this.canAsk();
  }
  protected fetchList(patientId: string) {
    return this.client.call('opinion.list', { patientId });
  }
  protected send(patientId: string, request: Omit<OpinionCreateRequest, 'patientId'>) {
    return this.client.call('opinion.create', { ...request, patientId });
  }

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
}
