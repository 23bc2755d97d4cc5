import type { PrescriptionLine } from '../../../contract';

/**
 * What an ordonnance prints about its prescriber (R5132-3: name, title / specialty, RPPS,
 * address) and the structure barcode (FINESS, or the practice's Assurance Maladie number).
 * Read from the platform's directory: Practitioner, PractitionerRole and its Organization.
 */
export interface PrescriberDetails {
  practitionerId: string;
  /** « Dr » when the directory gives it. */
  prefix: string | null;
  givenName: string;
  familyName: string;
  rpps: string | null;
  /** « Médecin généraliste ». */
  roleLabel: string;
  /** Ordinal specialty (« Médecine générale »), when known. */
  specialty: string | null;
  structure: {
    name: string | null;
    /** FINESS of an establishment, else the AM number of the practice; null when the directory has neither. */
    identifier: { kind: 'FINESS' | 'AM'; value: string } | null;
    /** Printable lines: street, then « 40000 Mont-de-Marsan ». Empty when unknown. */
    address: string[];
    phone: string | null;
  };
}

/** One line of a prescription, to create as one MedicationRequest. */
export interface NewMedicationOrder {
  /** Idempotency identifier of this line: the outbox row's client id + '/' + line index. */
  clientId: string;
  /** The prescription id, shared by every line (MedicationRequest.groupIdentifier). */
  prescriptionId: string;
  patientId: string;
  requester: { practitionerId: string; display: string };
  /** ISO instant the GP signed it. */
  authoredOn: string;
  line: PrescriptionLine;
  /** Patient weight (kg), carried as a note on each line when given. */
  weightKg: number | null;
}

/** E-prescription part of the Platform port (main/platform/port.ts). Throws RelaisError. */
export interface PrescriptionPort {
  getPrescriberDetails(practitionerId: string): Promise<PrescriberDetails>;
  /** Creates (or, on a retry with the same clientId, finds) the MedicationRequest; answers its id. */
  createMedicationRequest(order: NewMedicationOrder): Promise<{ id: string }>;
}
