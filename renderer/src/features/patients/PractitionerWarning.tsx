import { fr } from '../../i18n/fr';

/** The practice software's user is not the professional signed in here: the patient is open, the mismatch is said. */
export function PractitionerWarning({ launchedRpps, onDismiss }: { launchedRpps: string; onDismiss: () => void }) {
  return (
    <div className="lgc-offer" role="alert" data-testid="practitioner-warning">
      <p>{fr.practitionerWarning.text(launchedRpps)}</p>
      <button type="button" className="button button-small button-quiet" onClick={onDismiss}>
        {fr.practitionerWarning.dismiss}
      </button>
    </div>
  );
}
