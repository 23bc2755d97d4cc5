import { fr } from '../../i18n/fr';

/** « Adresser », beside « Rédiger une ordonnance » under the identity banner (referral.write only). */
export function ReferralButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button type="button" className="button referral-open" title={fr.referrals.openHint} onClick={onOpen} data-testid="referral-open">
      {fr.referrals.open}
    </button>
  );
}
