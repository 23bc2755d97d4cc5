import type { ApiRequest, ApiResponse } from '../../../contract';
import { auditRowsForExport, auditToCsv, listAudit } from '../../audit/audit-trail';
import type { FeatureContext } from '../feature';

/**
 * The professional's own access trail (« Journal des accès »): list with filters, CSV export, and
 * the integrity check of the chain. No patient permission: it is their own trail (method-permissions).
 */
export function createAuditFeature({ store, actor }: Pick<FeatureContext, 'store' | 'actor'>) {
  const handlers = {
    'audit.list': async ({ limit, ...filter }: ApiRequest<'audit.list'>): Promise<ApiResponse<'audit.list'>> =>
      listAudit(store, { ...filter, ...(limit ? { limit } : {}) }),
    'audit.exportCsv': async (filter: ApiRequest<'audit.exportCsv'>): Promise<ApiResponse<'audit.exportCsv'>> => {
      // The export itself is an access to the trail: recorded before the rows are read, so it is in the file.
      store.audit(actor, 'audit.export', filter.patientId ?? null, Object.keys(filter).length > 0 ? JSON.stringify(filter) : null);
      return auditToCsv(auditRowsForExport(store, filter));
    },
    'audit.verify': async (): Promise<ApiResponse<'audit.verify'>> => {
      const verdict = store.verifyAudit();
      // A broken chain is itself worth a trace (appended after the check, so it does not hide the break).
      if (!verdict.ok) store.audit(actor, 'audit.verify.failed', null, JSON.stringify({ line: verdict.line, seq: verdict.seq }));
      return verdict;
    },
  };
  return { handlers };
}
