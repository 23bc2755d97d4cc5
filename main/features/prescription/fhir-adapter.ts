/**
 * The e-prescription part of the FHIR adapter (PrescriptionPort): the prescriber's directory
 * entry for the ordonnance, and MedicationRequest creates made idempotent with If-None-Exist on
 * the line's client identifier (docs/outbox.md). Created by createFhirPlatform with its HTTP client.
 */
import type { Bundle, MedicationRequest, Organization, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { RelaisError, type PrescriptionLine } from '../../../contract';
import { referenceId } from '../../platform/fhir/mapping';
import { buildMedicationRequest, mapPrescriber } from './fhir-mapping';
import { ifNoneExist, toWriteError } from '../../platform/fhir/writes';
import type { FhirAdapterDeps } from '../../platform/fhir/adapter-deps';

// ── The port: what the core needs from the platform for this feature (main/platform/port.ts extends it).

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

// ── Its FHIR implementation.

export type PrescriptionAdapterDeps = Pick<FhirAdapterDeps, 'http' | 'toRelaisError'>;

export function createPrescriptionAdapter({ http, toRelaisError }: PrescriptionAdapterDeps): PrescriptionPort {
  return {
    async getPrescriberDetails(practitionerId: string): Promise<PrescriberDetails> {
      const what = `Read prescriber ${practitionerId}`;
      let bundle: Bundle;
      try {
        // One request: the Practitioner, its roles and their structures.
        const res = await http.get<Bundle>('Practitioner', {
          params: {
            _id: practitionerId,
            _revinclude: 'PractitionerRole:practitioner',
            '_include:iterate': 'PractitionerRole:organization',
          },
        });
        bundle = res.data;
      } catch (err) {
        throw toRelaisError(err, what);
      }
      const resources = (bundle.entry ?? []).map((e) => e.resource);
      const practitioner = resources.find((r): r is Practitioner => r?.resourceType === 'Practitioner' && r.id === practitionerId);
      if (!practitioner) throw new RelaisError('PLATFORM_ERROR', `${what}: not in the directory`);
      const role = resources.find(
        (r): r is PractitionerRole => r?.resourceType === 'PractitionerRole' && referenceId(r.practitioner?.reference, 'Practitioner') === practitionerId,
      );
      const orgId = referenceId(role?.organization?.reference, 'Organization');
      let organization = resources.find((r): r is Organization => r?.resourceType === 'Organization' && r.id === orgId);
      if (!organization && orgId) {
        // A server that ignores _include:iterate: read the structure directly.
        try {
          organization = (await http.get<Organization>(`Organization/${encodeURIComponent(orgId)}`)).data;
        } catch (err) {
          throw toRelaisError(err, what);
        }
      }
      return mapPrescriber(practitioner, role, organization);
    },

    async createMedicationRequest(order: NewMedicationOrder): Promise<{ id: string }> {
      const what = 'Create medication request';
      try {
        const res = await http.post<MedicationRequest>('MedicationRequest', buildMedicationRequest(order), {
          headers: { 'Content-Type': 'application/fhir+json', 'If-None-Exist': ifNoneExist('identifier', order.clientId) },
        });
        if (res.data?.resourceType !== 'MedicationRequest' || !res.data.id) throw new RelaisError('PLATFORM_ERROR', `${what}: unexpected answer`);
        return { id: res.data.id };
      } catch (err) {
        if (err instanceof RelaisError) throw err;
        throw toWriteError(err, what, toRelaisError);
      }
    },
  };
}
