import type { Confidentiality, EntryCategory, Ins, JournalEntry, JournalKind, Patient, Professional } from '../../contract';
import type { AgendaPort } from '../features/agenda/fhir-adapter';
import type { AlertsBatch, PanelsPort } from '../features/panels/fhir-adapter';
import type { PrescriptionPort } from '../features/prescription/fhir-adapter';
import type { MedicationCircuitPort } from '../features/prescription/circuit-adapter';
import type { PpsPort } from '../features/pps/fhir-adapter';
import type { ReferralPort } from '../features/referral/fhir-adapter';
import type { FlowPort } from '../features/flow/fhir-adapter';
import type { ClinicalPort } from '../features/clinical/fhir-adapter';
import type { SupportRequestPort } from '../features/support-request/fhir-adapter';
import type { HospitalStayPort } from '../features/hospital-stay/fhir-adapter';
import type { OpinionPort } from '../features/opinion/fhir-adapter';

export interface TraitQuery {
  birthName: string;
  birthDate: string;
  sex?: 'F' | 'M' | 'U';
}

export interface JournalFetchOptions {
  /** Only entries changed strictly after this ISO instant (incremental sync). */
  since?: string;
  /** Entries per platform request. */
  pageSize?: number;
  /** Continue an interrupted fetch from the `next` URL of its last completed batch. */
  resumeFrom?: string;
  /**
   * `_include` the authors (PractitionerRole, Practitioner) in every page (default true): one
   * round trip for a first paint. A sync turns it off: authors are few and repeat, so the ones
   * not yet known are fetched once, in one batched request (and the platform accepts larger pages).
   */
  includeAuthors?: boolean;
  /**
   * Only entries whose date lies in this window: `from` inclusive, `before` exclusive, `upTo`
   * inclusive (a concurrent sync splits the journal into disjoint windows; see JournalService).
   */
  dates?: { from?: string; before?: string; upTo?: string };
  /** Oldest first (default newest first). */
  oldestFirst?: boolean;
}

export interface JournalBatch {
  entries: JournalEntry[];
  /** Total number of matching entries on the platform, when it says. */
  total?: number;
  /** The platform's URL of the following page, null on the last one (a resume point). */
  next?: string | null;
}

/** A journal entry to create on the platform (built by the outbox; see docs/outbox.md). */
export interface NewJournalEntry {
  /** Client idempotency identifier (UUID): a retry with the same id returns the first creation. */
  clientId: string;
  patientId: string;
  /** Practitioner id of the author (the signed-in professional). */
  authorId: string;
  kind: JournalKind;
  text: string;
  /** ISO instant the professional posted it. */
  date: string;
  /** Files already on the platform (createBinary), by relative URL `Binary/<id>`. */
  attachments: { contentType: string; title: string; url: string; size: number }[];
  replyTo?: string;
  /** A special entry: the acknowledgement of an alert. */
  marker?: 'alert-acknowledged';
  /** Absent: care. A secretary's entries are administrative (the platform refuses any other). */
  category?: EntryCategory;
  /** Absent: normal. medical → securityLabel restricted (docs/fhir-mapping.md). */
  confidentiality?: Confidentiality;
  /** « Urgent » chosen when writing: the cdl emergency extension. */
  urgent?: boolean;
}

export interface NewBinary {
  /** Idempotency identifier of this file (the entry's client id + its index). */
  clientId: string;
  contentType: string;
  data: Uint8Array;
}

/**
 * The coordination platform, as the core sees it. One real adapter speaks FHIR R4
 * (main/platform/fhir); tests use the same adapter against the sandbox.
 * Every method throws RelaisError: PLATFORM_UNREACHABLE when the platform cannot be reached,
 * PLATFORM_ERROR for an unexpected answer, PATIENT_NOT_FOUND, FORBIDDEN, CONFLICT.
 */
export interface Platform extends PanelsPort, PrescriptionPort, MedicationCircuitPort, AgendaPort, PpsPort, ReferralPort, FlowPort, ClinicalPort, SupportRequestPort, HospitalStayPort, OpinionPort {
  readonly baseUrl: string;
  /** The patient whose active INS identifier matches, or null. */
  findPatientByIns(ins: Ins): Promise<Patient | null>;
  getPatient(id: string): Promise<Patient>;
  /**
   * Patients whose birth name, birth date (year when partially unknown) and sex match: the
   * candidates shown when a launch carries no INS. Never used to pick one automatically.
   */
  searchPatientsByTraits(traits: TraitQuery): Promise<Patient[]>;
  /** Patients whose care team includes this professional. */
  listPatientsFollowedBy(professionalId: string): Promise<Patient[]>;
  getProfessional(id: string): Promise<Professional>;
  findProfessionalByRpps(rpps: string): Promise<Professional | null>;
  /**
   * The card holder by idNatPS: '8'+RPPS for a health professional, 'structure/number' for
   * structure staff (a CPE holder: no RPPS; the platform lists them as Practitioners without one).
   */
  findProfessionalByIdNatPs(idNatPs: string): Promise<Professional | null>;
  /** Journal entries, newest first, page by page (follows the platform's `next` links). */
  fetchJournal(patientId: string, options?: JournalFetchOptions): AsyncIterable<JournalBatch>;
  /**
   * Of these patients, those with a journal entry changed strictly after `since`: one search per
   * 100 patients (`subject=a,b,…&_lastUpdated=gt…`, ids only), so a steady-state pass over 300
   * followed patients costs three requests instead of 300 (issue 17). Optional: a platform
   * without it is synced patient by patient.
   */
  journalChangedAmong?(patientIds: readonly string[], since: string): Promise<Set<string>>;
  /**
   * The steady-state question (issue 17 item 7): for these patients, whose journal changed after
   * their own `since`, and which alerts (Flag) changed at or after `alertsSince` — one request per
   * 100 patients answering both (see main/platform/fhir/changes.ts). Patients with `since` null
   * are only asked about alerts; `alertsSince` null asks nothing about alerts. Optional.
   */
  changesAmong?(question: ChangesQuestion): Promise<ChangesAnswer>;
  /** Raw bytes of an attachment whose URL lies under `baseUrl`. */
  fetchAttachment(url: string): Promise<{ contentType: string; data: Uint8Array }>;
  /**
   * Writes (the outbox only). Idempotent on `clientId`. Errors: PLATFORM_UNREACHABLE /
   * PLATFORM_ERROR / CONFLICT (worth retrying), INVALID_INPUT (refused: 4xx), FORBIDDEN, UNAUTHENTICATED.
   */
  createBinary(binary: NewBinary): Promise<{ id: string; url: string }>;
  /** Creates (or finds, on a retry) the DocumentReference; answers the platform's version. */
  createJournalEntry(entry: NewJournalEntry): Promise<JournalEntry>;
}

/** What the steady-state question asks (Platform.changesAmong). */
export interface ChangesQuestion {
  patients: readonly { id: string; since: string | null }[];
  alertsSince: string | null;
}

export interface ChangesAnswer {
  /** Patients with a journal entry changed after their own `since`. */
  journalChanged: Set<string>;
  /** Alerts changed at or after `alertsSince` (null when it was null). */
  alerts: AlertsBatch | null;
}
