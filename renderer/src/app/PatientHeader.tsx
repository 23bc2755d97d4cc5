import type { ReactNode } from 'react';
import type { Patient } from '../contract';
import { IdentityBanner } from '../features/identity/IdentityBanner';
import { fr } from '../i18n/fr';

/**
 * The top of the open chart, never scrolled and never covered: the identity banner, then the
 * named regions other features fill (issue 15: the active-alerts strip right under the banner,
 * then the one-line clinical header), then the patient's actions as one wrapping row.
 * A region given nothing takes no room.
 */
export function PatientHeader({
  patient,
  alerts,
  clinical,
  actions,
}: {
  patient: Patient;
  /** Region « alerts »: unhandled alerts of this patient (issue 15, item 1). */
  alerts?: ReactNode;
  /** Region « clinical »: allergies, ALD, weight, carer — one line at panel width (issue 15, item 6). */
  clinical?: ReactNode;
  /** The action buttons (ordonnance, adresser…), icon + label, wrapping. */
  actions?: ReactNode;
}) {
  return (
    <div className="patient-head" data-testid="patient-head">
      <IdentityBanner patient={patient} />
      {alerts && (
        <div className="patient-head-region patient-head-alerts" data-region="alerts">
          {alerts}
        </div>
      )}
      {clinical && (
        <div className="patient-head-region patient-head-clinical" data-region="clinical">
          {clinical}
        </div>
      )}
      {actions && (
        <div className="patient-actions" role="group" aria-label={fr.layout.actions} data-region="actions">
          {actions}
        </div>
      )}
    </div>
  );
}
