import type { Admission, AdmissionPriority, Appointment, Establishment } from '../../../contract';

/** An appointment to create (the outbox's appointment writer; idempotent on clientId). */
export interface NewAppointment {
  clientId: string;
  patientId: string;
  /** Practitioner id of who books it (the signed-in professional or secretary). */
  bookedBy: string;
  start: string;
  end: string;
  minutes: number;
  /** A care-team member (PractitionerRole id) or a place / service in words. */
  with: { roleId: string } | { text: string };
  motive: string;
}

/**
 * A change to an existing appointment, with If-Match on the version the professional saw.
 * `clientId` marks the change on the resource, so a retry after the platform applied it is
 * recognised instead of failing on its own new version.
 */
export interface AppointmentChangeWrite {
  clientId: string;
  appointmentId: string;
  version: string;
  move?: { start: string; end: string; minutes: number };
  cancel?: { reason: string };
}

/** A hospital admission request (ServiceRequest + Task); identifiers derive from clientId. */
export interface NewAdmissionRequest {
  clientId: string;
  patientId: string;
  requesterId: string;
  establishment: { organizationId: string; name: string } | { text: string };
  service?: string;
  priority: AdmissionPriority;
  desiredDate: string;
  motive: string;
  homeReturnSupport: boolean;
  /** Files already on the platform and the journal entries that go with the request. */
  supportingInfo: { reference: string; display: string }[];
  authoredOn: string;
}

/** Agenda and admissions part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface AgendaPort {
  /** Conditional create (If-None-Exist on the client identifier): a retry answers the first creation. */
  createAppointment(appointment: NewAppointment): Promise<Appointment>;
  /** Update with If-Match: CONFLICT when the appointment changed since `version`. */
  updateAppointment(change: AppointmentChangeWrite): Promise<Appointment>;
  /** ServiceRequest then its Task, each with If-None-Exist on an identifier derived from clientId. */
  createAdmissionRequest(request: NewAdmissionRequest): Promise<{ serviceRequestId: string; taskId: string }>;
  /** The patient's admission requests with the status of their Task, newest first. */
  listAdmissions(patientId: string): Promise<Omit<Admission, 'local'>[]>;
  /** Health establishments (Organization) of the platform's referential. */
  listEstablishments(): Promise<Establishment[]>;
}
