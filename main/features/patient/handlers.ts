/**
 * Opening a patient (a launch from the practice software, or the window's list) and the list of
 * followed patients. A launch whose traits disagree with the platform's patient, or without INS,
 * goes through identity vigilance (./identity-vigilance.ts) before anything is shown.
 */
import {
  can,
  JOURNAL_FIRST_PAGE_SIZE,
  RelaisError,
  type ApiRequest,
  type ApiResponse,
  type LaunchContext,
  type OpenedPatient,
  type Patient,
  type RelaisEvent,
} from '../../../contract';
import type { FeatureContext } from '../feature';
import { compareTraits } from './compare-traits';
import { IdentityVigilance } from './identity-vigilance';

/** How long after a cached patient is shown its journal and identity are checked with the platform. */
export const REVALIDATE_AFTER_MS = 250;

export function createPatientFeature(o: FeatureContext) {
  let currentPatientId: string | null = null;
  let lastPatientChanged: RelaisEvent | null = null;

  const revalidate = async (patient: Patient): Promise<void> => {
    try {
      const fresh = await o.track(() => o.platform.getPatient(patient.id));
      o.store.upsertPatient(fresh);
    } catch {
      // Offline or platform error: the journal stays readable from the store; refresh reports it.
    }
    await o.journal.refresh(patient);
  };

  /**
   * The practice software says who is using it (`rpps`); when that is not the professional signed
   * in here (another doctor's session left open, a shared workstation), the patient still opens —
   * the patient is right — but the window warns and the audit trail keeps both RPPS.
   */
  const checkPractitioner = (patient: Patient, channel: string, launch: LaunchContext | undefined): void => {
    const launchedRpps = launch?.practitionerRpps;
    if (launchedRpps === undefined || launchedRpps === o.professional.rpps) return;
    o.store.audit(o.actor, 'launch.practitioner-mismatch', patient.id, JSON.stringify({ channel, launchedRpps, signedInRpps: o.professional.rpps ?? null }));
    o.events.emit({ type: 'practitioner-mismatch', patientId: patient.id, launchedRpps });
  };

  const show = async (patient: Patient, channel: string, launch?: LaunchContext): Promise<OpenedPatient> => {
    const cached = o.journal.hasCache(patient.id);
    o.store.audit(o.actor, 'patient.open', patient.id, channel);
    currentPatientId = patient.id;
    // A window that connects later asks for its page: one replayed with the event could be stale.
    lastPatientChanged = { type: 'patient-changed', patient, cached };
    // The stored newest page rides with the event (issue 12): the window paints the patient and
    // the journal in one go instead of asking for the page once it has drawn the patient.
    const firstPage = cached && can(o.role(), 'patient.read') ? o.journal.page(patient.id, undefined, JOURNAL_FIRST_PAGE_SIZE) : undefined;
    o.events.emit(firstPage ? { ...lastPatientChanged, firstPage } : lastPatientChanged);
    checkPractitioner(patient, channel, launch);
    if (cached) {
      // Shortly after: the platform's answer, parsed and stored here, would otherwise share the
      // practice PC's two cores with the window painting the stored journal (issue 12).
      setTimeout(() => void revalidate(patient), REVALIDATE_AFTER_MS).unref?.();
    } else {
      // Progressive open: the newest page now, the back-fill in the background (journal-backfill).
      await o.track(() => o.journal.openFirst(patient.id));
      void o.journal.refresh(patient);
    }
    return { patient, cached };
  };

  const vigilance = new IdentityVigilance(o, show);

  const resolveOnPlatform = async (ins: NonNullable<LaunchContext['ins']>): Promise<Patient> => {
    const patient = await o.track(() => o.platform.findPatientByIns(ins));
    if (!patient) throw new RelaisError('PATIENT_NOT_FOUND', 'no patient with this INS on the platform', 'ins');
    o.store.upsertPatient(patient);
    return patient;
  };

  /** Opens the launched patient, or throws while identity vigilance waits for the professional. */
  const open = async (context: LaunchContext, channel = 'ui'): Promise<OpenedPatient> => {
    const ins = context.ins;
    if (!ins) return vigilance.askSelection(context, channel);
    const stored = o.store.findPatientByIns(ins.value);
    let patient: Patient;
    if (stored && o.journal.hasPaintable(stored.id)) patient = stored;
    else {
      // The INS → Patient id mapping is known (followed list, earlier open): the newest journal
      // page travels beside the INS search instead of after it — one round trip to first paint.
      const early = stored ? o.journal.openFirst(stored.id).catch(() => undefined) : undefined;
      patient = await resolveOnPlatform(ins);
      if (early && patient.id === stored!.id) await early;
    }
    const discrepancies = compareTraits(context, patient);
    if (discrepancies.length > 0) vigilance.askConfirmation(context, patient, discrepancies, channel);
    return show(patient, channel, context);
  };

  /** The followed patients from the platform, else (unreachable) those the store knows. */
  const list = async (): Promise<Patient[]> => {
    try {
      const patients = await o.track(() => o.platform.listPatientsFollowedBy(o.professional.id));
      for (const p of patients) o.store.upsertPatient(p);
      return sortPatients(patients);
    } catch (error) {
      if (error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE') return sortPatients(o.store.listPatients());
      throw error;
    }
  };

  const handlers = {
    'patient.open': async (context: ApiRequest<'patient.open'>): Promise<ApiResponse<'patient.open'>> => open(context),
    'patient.list': async (): Promise<ApiResponse<'patient.list'>> => list(),
    'patient.confirmIdentity': async ({ confirmationId, confirmed }: ApiRequest<'patient.confirmIdentity'>): Promise<ApiResponse<'patient.confirmIdentity'>> =>
      vigilance.confirm(confirmationId, confirmed),
    'patient.choose': async ({ selectionId, patientId }: ApiRequest<'patient.choose'>): Promise<ApiResponse<'patient.choose'>> =>
      vigilance.choose(selectionId, patientId),
  };
  return {
    handlers,
    open,
    list,
    /** The patient open in the windows (the background sync refreshes it when new entries arrive). */
    currentPatientId: () => currentPatientId,
    /** What a window that connects late must hear (core.replayForNewWindow). */
    lastPatientChanged: () => lastPatientChanged,
  };
}

function sortPatients(patients: Patient[]): Patient[] {
  return [...patients].sort(
    (a, b) => a.birthName.localeCompare(b.birthName, 'fr') || a.firstNames.join(' ').localeCompare(b.firstNames.join(' '), 'fr'),
  );
}
