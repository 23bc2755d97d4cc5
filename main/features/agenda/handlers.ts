/**
 * Appointments and hospital admission requests (what a practice secretary manages), wired for the
 * core (main/features/feature.ts): the API handlers, the two outbox writers, and the overlay that shows this
 * window's pending changes in the agenda. Permissions are checked by the core's guard
 * (contract/method-permissions.ts); the checks here are about the input.
 */
import {
  can,
  MAX_ATTACHMENT_BYTES,
  RelaisError,
  type Admission,
  type AdmissionChangeRequest,
  type ApiRequest,
  type ApiResponse,
  type Establishment,
  type PatientPanels,
} from '../../../contract';
import type { FeatureContext } from '../feature';
import { announcementText } from './admission-text';
import { admissionWriter, type AdmissionPayload } from './admission-writer';
import { overlayAppointments, pendingAdmissionChanges, pendingAdmissions } from './agenda-overlay';
import { admissionUpdateText, admissionUpdateWriter, type AdmissionUpdatePayload } from './admission-update-writer';

const OPEN_STATUSES: ReadonlySet<Admission['status']> = new Set(['requested', 'accepted', 'in-progress']);
import { appointmentWriter, endOf, type AppointmentPayload } from './appointment-writer';

export function createAgendaFeature(o: FeatureContext) {
  const now = () => o.now();
  const actor = o.actor;
  /** Last answers of this session: the lists stay readable while the platform is unreachable. */
  const lastAdmissions = new Map<string, Omit<Admission, 'local'>[]>();
  /**
   * The agenda and the hospital stays both list a patient's admissions as the window opens them:
   * a request still on its way answers both, so a patient switch asks the platform once. News of
   * the patient (a sent item, a synced page) ends the sharing: a list asked after it may not get
   * an answer that left before it.
   */
  const admissionsInFlight = new Map<string, Promise<Omit<Admission, 'local'>[]>>();
  const platformAdmissions = (patientId: string): Promise<Omit<Admission, 'local'>[]> => {
    const running = admissionsInFlight.get(patientId);
    if (running) return running;
    const call = o.track(() => o.platform.listAdmissions(patientId)).finally(() => {
      if (admissionsInFlight.get(patientId) === call) admissionsInFlight.delete(patientId);
    });
    admissionsInFlight.set(patientId, call);
    return call;
  };
  o.events.subscribe((event) => {
    if (event.type === 'journal-updated') admissionsInFlight.delete(event.patientId);
  });
  let establishments: Establishment[] | null = null;

  const assertFuture = (start: string): void => {
    if (Date.parse(start) < now().getTime()) throw new RelaisError('INVALID_INPUT', 'the appointment would start in the past', 'start');
  };
  const assertPlatformAppointment = (appointmentId: string): void => {
    if (appointmentId.startsWith('local-')) {
      throw new RelaisError('INVALID_INPUT', 'this booking is not on the platform yet: wait for it before changing it', 'appointmentId');
    }
  };
  const enqueueAppointment = (payload: AppointmentPayload, summary: string) => {
    const item = o.outbox.enqueue({ kind: 'appointment', patientId: payload.patientId, payload, summary });
    o.store.audit(actor, `appointment.${payload.action}`, payload.patientId, JSON.stringify({ clientId: item.id }));
    return item;
  };

  const loadEstablishments = async (): Promise<Establishment[]> => {
    try {
      establishments = await o.track(() => o.platform.listEstablishments());
    } catch (error) {
      if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE' && establishments)) throw error;
    }
    return establishments!;
  };

  /** « Annuler » / « Relancer »: only a request on the platform that is still open (not done, refused or cancelled). */
  const changeAdmission = async (action: 'cancel' | 'remind', req: AdmissionChangeRequest) => {
    o.assertKnownPatient(req.patientId);
    const known = lastAdmissions.get(req.patientId) ?? (await platformAdmissions(req.patientId));
    const admission = known.find((a) => a.id === req.admissionId);
    if (!admission) throw new RelaisError('INVALID_INPUT', 'not an admission request of this patient on the platform', 'admissionId');
    if (!OPEN_STATUSES.has(admission.status)) throw new RelaisError('INVALID_INPUT', `the request is ${admission.status}: nothing to ${action}`, 'admissionId');
    const where = admission.service ? `${admission.establishment} — ${admission.service}` : admission.establishment;
    const payload: AdmissionUpdatePayload = { action, patientId: req.patientId, serviceRequestId: admission.id, where, reason: req.reason, at: now().toISOString() };
    const item = o.outbox.enqueue({
      kind: 'admission-update',
      patientId: req.patientId,
      payload,
      summary: action === 'cancel' ? `Demande d'admission annulée : ${where}` : `Demande d'admission relancée : ${where}`,
      optimistic: { kind: 'admission-request', text: admissionUpdateText(payload), category: 'administrative' },
    });
    o.store.audit(actor, `admission.${action}`, req.patientId, JSON.stringify({ clientId: item.id, admissionId: admission.id }));
    return item;
  };

  const handlers = {
    'appointment.book': async (req: ApiRequest<'appointment.book'>): Promise<ApiResponse<'appointment.book'>> => {
      o.assertKnownPatient(req.patientId);
      assertFuture(req.start);
      if (req.with.kind === 'care-team') {
        const memberId = req.with.memberId;
        const team = await o.careTeamOf(req.patientId);
        if (!team.some((m) => m.id === memberId)) throw new RelaisError('INVALID_INPUT', 'not a member of the care team', 'with');
      }
      const payload: AppointmentPayload = {
        action: 'book',
        patientId: req.patientId,
        start: req.start,
        end: endOf(req.start, req.durationMinutes),
        durationMinutes: req.durationMinutes,
        with: req.with,
        motive: req.motive,
      };
      return enqueueAppointment(payload, `Rendez-vous : ${req.motive}`);
    },
    'appointment.reschedule': async (req: ApiRequest<'appointment.reschedule'>): Promise<ApiResponse<'appointment.reschedule'>> => {
      o.assertKnownPatient(req.patientId);
      assertPlatformAppointment(req.appointmentId);
      assertFuture(req.start);
      const payload: AppointmentPayload = {
        action: 'reschedule',
        patientId: req.patientId,
        appointmentId: req.appointmentId,
        version: req.version,
        start: req.start,
        end: endOf(req.start, req.durationMinutes),
        durationMinutes: req.durationMinutes,
      };
      return enqueueAppointment(payload, 'Rendez-vous déplacé');
    },
    'appointment.cancel': async (req: ApiRequest<'appointment.cancel'>): Promise<ApiResponse<'appointment.cancel'>> => {
      o.assertKnownPatient(req.patientId);
      assertPlatformAppointment(req.appointmentId);
      const payload: AppointmentPayload = { action: 'cancel', patientId: req.patientId, appointmentId: req.appointmentId, version: req.version, reason: req.reason };
      return enqueueAppointment(payload, `Rendez-vous annulé : ${req.reason}`);
    },
    'appointment.dismissChange': async ({ patientId, clientId }: ApiRequest<'appointment.dismissChange'>): Promise<ApiResponse<'appointment.dismissChange'>> => {
      o.assertKnownPatient(patientId);
      const item = o.outbox.get(clientId);
      // Only a refused change can be given up: a pending one is on its way and cannot be recalled.
      if (!item || item.patientId !== patientId || item.kind !== 'appointment' || item.status !== 'failed-permanent') return { dismissed: false };
      // Deleted from the outbox (not just hidden in memory): still abandoned after a restart.
      return { dismissed: o.outbox.discard(clientId) !== null };
    },
    'admission.request': async (req: ApiRequest<'admission.request'>): Promise<ApiResponse<'admission.request'>> => {
      o.assertKnownPatient(req.patientId);
      const summary = req.clinicalSummary?.trim();
      if (summary && !can(o.role(), 'journal.read-medical')) {
        // The guard refuses it first; kept here so the feature never posts a medical entry for a role that cannot read it.
        throw new RelaisError('FORBIDDEN', 'a clinical summary needs journal.read-medical', 'clinicalSummary');
      }
      if (req.desiredDate < o.today()) throw new RelaisError('INVALID_INPUT', 'the desired date is in the past', 'desiredDate');
      for (const a of req.attachments ?? []) {
        if (Buffer.byteLength(a.dataBase64, 'base64') > MAX_ATTACHMENT_BYTES) throw new RelaisError('INVALID_INPUT', 'file larger than 10 MB', 'attachments');
      }
      let establishment: AdmissionPayload['establishment'];
      if (req.establishment.kind === 'organization') {
        const id = req.establishment.organizationId;
        const known = establishments?.find((e) => e.id === id) ?? (await loadEstablishments()).find((e) => e.id === id);
        if (!known) throw new RelaisError('INVALID_INPUT', 'unknown establishment', 'establishment');
        establishment = { organizationId: known.id, name: known.name };
      } else {
        establishment = { text: req.establishment.text };
      }
      const service = req.service?.trim() || undefined;
      const payload: AdmissionPayload = {
        patientId: req.patientId,
        establishment,
        ...(service ? { service } : {}),
        priority: req.priority,
        desiredDate: req.desiredDate,
        motive: req.motive,
        ...(summary ? { clinicalSummary: summary } : {}),
        homeReturnSupport: req.homeReturnSupport ?? false,
        attachments: req.attachments ?? [],
        authoredOn: now().toISOString(),
        // What was typed, for « Modifier » if the platform refuses it (the files stay in `attachments`).
        form: (({ patientId: _p, replaces: _r, attachments: _a, ...typed }) => typed)(req),
      };
      const name = 'name' in establishment ? establishment.name : establishment.text;
      const item = o.outbox.enqueue({
        ...(req.replaces ? { replaces: req.replaces } : {}),
        kind: 'admission-request',
        patientId: req.patientId,
        payload,
        summary: `Demande d'admission : ${name}`,
        optimistic: {
          // A request, not an admission (issue 15): filed as « Demande d'admission » in the journal.
          kind: 'admission-request',
          text: announcementText({ ...payload, establishment: name }),
          urgent: req.priority === 'urgent',
        },
      });
      // The audit says what was done, never what was written (the motive and summary are health data).
      o.store.audit(actor, 'admission.request', req.patientId, JSON.stringify({ clientId: item.id, priority: req.priority }));
      return item;
    },
    'admission.list': async ({ patientId }: ApiRequest<'admission.list'>): Promise<ApiResponse<'admission.list'>> => {
      o.assertKnownPatient(patientId);
      const pending = pendingAdmissions(o.outbox, patientId, o.requester);
      const changes = pendingAdmissionChanges(o.outbox, patientId);
      const shown = (list: Omit<Admission, 'local'>[]) => list.map((a) => ({ ...a, pendingChange: changes.get(a.id) ?? null, local: null }));
      try {
        const fromPlatform = await platformAdmissions(patientId);
        lastAdmissions.set(patientId, fromPlatform);
        return { patientId, admissions: [...pending, ...shown(fromPlatform)], source: 'platform' };
      } catch (error) {
        const kept = lastAdmissions.get(patientId);
        if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE')) throw error;
        return { patientId, admissions: [...pending, ...shown(kept ?? [])], source: 'store' };
      }
    },
    'admission.cancel': (req: ApiRequest<'admission.cancel'>): Promise<ApiResponse<'admission.cancel'>> => changeAdmission('cancel', req),
    'admission.remind': (req: ApiRequest<'admission.remind'>): Promise<ApiResponse<'admission.remind'>> => changeAdmission('remind', req),
    'admission.establishments': async (): Promise<ApiResponse<'admission.establishments'>> => loadEstablishments(),
  };

  /** patient.panels with this window's appointment changes laid over the agenda. */
  const overlay = (panels: PatientPanels): PatientPanels => ({
    ...panels,
    appointments: overlayAppointments(panels.appointments, panels.careTeam, o.outbox, panels.patientId),
  });

  return { handlers, writers: { appointment: appointmentWriter, 'admission-request': admissionWriter, 'admission-update': admissionUpdateWriter }, overlay };
}
