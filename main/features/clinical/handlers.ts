/**
 * The clinical header (issue 15, item 6), wired for the core: one read, from the platform, with
 * the last answer of this session kept so the header stays while the platform is unreachable.
 * Practice staff (no journal.read-medical) get the contacts only.
 */
import { can, RelaisError, type ApiRequest, type ApiResponse, type ClinicalSummary } from '../../../contract';
import type { FeatureContext } from '../feature';

export function createClinicalFeature(o: FeatureContext) {
  const last = new Map<string, ClinicalSummary>();
  const handlers = {
    'patient.clinicalSummary': async ({ patientId }: ApiRequest<'patient.clinicalSummary'>): Promise<ApiResponse<'patient.clinicalSummary'>> => {
      o.assertKnownPatient(patientId);
      let summary: ClinicalSummary;
      try {
        summary = await o.track(() => o.platform.getClinicalSummary(patientId));
        last.set(patientId, summary);
      } catch (error) {
        const kept = last.get(patientId);
        if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE' && kept)) throw error;
        summary = kept;
      }
      return can(o.role(), 'journal.read-medical') ? summary : { ...summary, allergies: null, ald: null, weight: null };
    },
  };
  return { handlers };
}
