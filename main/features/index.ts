/**
 * Every feature of the core, built from one FeatureContext and merged into one handler table.
 * A new feature adds its factory to the list below; mergeFeatures refuses to compile until every
 * core method has exactly one handler (main/features/feature.ts).
 */
import type { FeatureContext } from './feature';
import { mergeFeatures } from './feature';
import { createAgendaFeature } from './agenda/handlers';
import { createAuditFeature } from './audit/handlers';
import { createJournalFeature } from './journal/handlers';
import { createPanelsFeature } from './panels/handlers';
import { createPatientFeature } from './patient/handlers';
import { createPpsFeature } from './pps/handlers';
import { createPrescriptionsFeature } from './prescription/handlers';
import { createReferralFeature } from './referral/handlers';
import { createSupportRequestFeature } from './support-request/handlers';
import { createHospitalStayFeature } from './hospital-stay/handlers';
import { createOpinionFeature } from './opinion/handlers';
import { createSessionFeature, type SessionControls } from './session/handlers';
import { createFlowFeature } from './flow/handlers';
import { createClinicalFeature } from './clinical/handlers';

export interface FeatureOptions {
  /** The session state the core keeps (lock, reachability, « follow the practice software »). */
  session: SessionControls;
  /** Alert watcher poll interval (ms, default 30 s); tests shorten it. */
  alertPollMs?: number;
}

export function createFeatures(ctx: FeatureContext, options: FeatureOptions) {
  const patients = createPatientFeature(ctx);
  const panels = createPanelsFeature(ctx, options.alertPollMs !== undefined ? { alertPollMs: options.alertPollMs } : {});
  const agenda = createAgendaFeature(ctx);
  const { handlers, writers } = mergeFeatures([
    createSessionFeature(ctx, options.session),
    patients,
    createJournalFeature(ctx),
    panels,
    agenda,
    createPpsFeature(ctx),
    createReferralFeature(ctx),
    createPrescriptionsFeature(ctx),
    createSupportRequestFeature(ctx),
    createHospitalStayFeature(ctx),
    createOpinionFeature(ctx),
    createAuditFeature(ctx),
    createFlowFeature(ctx),
    createClinicalFeature(ctx),
  ]);
  return {
    handlers,
    writers,
    /** Opening patients (launches), the followed patients, the patient open in the windows. */
    patients,
    alerts: panels.alerts,
    /** The cross-feature queries of the FeatureContext, answered by the feature that owns the data. */
    queries: {
      followedPatients: patients.list,
      careTeamOf: panels.careTeamOf,
      overlayAgenda: agenda.overlay,
    } satisfies Pick<FeatureContext, 'followedPatients' | 'careTeamOf' | 'overlayAgenda'>,
  };
}
