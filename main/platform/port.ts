import type { Ins, JournalEntry, Patient, Professional } from '../../contract';

export interface JournalFetchOptions {
  /** Only entries changed strictly after this ISO instant (incremental sync). */
  since?: string;
  /** Entries per platform request. */
  pageSize?: number;
  /** Continue an interrupted fetch from the `next` URL of its last completed batch. */
  resumeFrom?: string;
}

export interface JournalBatch {
  entries: JournalEntry[];
  /** Total number of matching entries on the platform, when it says. */
  total?: number;
  /** The platform's URL of the following page, null on the last one (a resume point). */
  next?: string | null;
}

/**
 * The coordination platform, as the core sees it. One real adapter speaks FHIR R4
 * (main/platform/fhir); tests use the same adapter against the sandbox.
 * Every method throws RelaisError: PLATFORM_UNREACHABLE when the platform cannot be reached,
 * PLATFORM_ERROR for an unexpected answer, PATIENT_NOT_FOUND, FORBIDDEN, CONFLICT.
 */
export interface Platform {
  readonly baseUrl: string;
  /** The patient whose active INS identifier matches, or null. */
  findPatientByIns(ins: Ins): Promise<Patient | null>;
  getPatient(id: string): Promise<Patient>;
  /** Patients whose care team includes this professional. */
  listPatientsFollowedBy(professionalId: string): Promise<Patient[]>;
  getProfessional(id: string): Promise<Professional>;
  findProfessionalByRpps(rpps: string): Promise<Professional | null>;
  /** Journal entries, newest first, page by page (follows the platform's `next` links). */
  fetchJournal(patientId: string, options?: JournalFetchOptions): AsyncIterable<JournalBatch>;
  /** Raw bytes of an attachment whose URL lies under `baseUrl`. */
  fetchAttachment(url: string): Promise<{ contentType: string; data: Uint8Array }>;
}
