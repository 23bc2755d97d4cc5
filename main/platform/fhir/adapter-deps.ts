import type { AxiosInstance } from 'axios';
import type { BundleEntry, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import type { RelaisError } from '../../../contract';

/**
 * What createFhirPlatform lends a feature's FHIR adapter (main/features/<f>/fhir-adapter.ts): its
 * HTTP client, paging, professional caches and error mapping. Each adapter picks what it needs.
 */
export interface FhirAdapterDeps {
  http: AxiosInstance;
  /** Every resource of a search, following `next` links (the adapter's paging, origin-checked). */
  searchAll(path: string, params: Record<string, string | string[]>, what: string): Promise<BundleEntry[]>;
  /** Loads the PractitionerRoles (and their Practitioners) missing from the caches, in one request. */
  loadMissingRoles(roleIds: readonly string[]): Promise<void>;
  roles: Map<string, PractitionerRole>;
  practitioners: Map<string, Practitioner>;
  /** The PractitionerRole a professional acts as (null: none, the Practitioner is referenced). */
  selfRoleOf(practitionerId: string): Promise<string | null>;
  toRelaisError(err: unknown, what: string): RelaisError;
}
