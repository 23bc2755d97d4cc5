/**
 * Structural validation of what clients write, as a real FHIR server does: a created or updated
 * resource (or each resource of a transaction / batch Bundle) that breaks the R4 definitions —
 * unknown elements, wrong cardinalities or types, a required binding, an invariant such as gol-1 —
 * is refused with 400 and the validator's OperationOutcome. Without this every test posting
 * through Relais would bless resources a production platform rejects.
 */
import '../medplum-env';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';

const VALIDATED_METHODS = new Set(['POST', 'PUT']);

/** null when the body may go on; else the OperationOutcome of a 400. The FHIR definitions must be loaded. */
export function checkConformance(method: string, body: unknown): OperationOutcome | null {
  if (!VALIDATED_METHODS.has(method.toUpperCase())) return null;
  if (!body || typeof body !== 'object' || typeof (body as Resource).resourceType !== 'string') return null;
  try {
    // A Bundle is validated with the resources of its entries.
    validateResource(body as Resource);
    return null;
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome;
    throw err;
  }
}
