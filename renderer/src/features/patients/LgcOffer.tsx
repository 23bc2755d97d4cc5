import type { LaunchContext } from '../../contract';
import { fr } from '../../i18n/fr';

/** "Follow" is off and the practice software moved to another patient: offer it, never switch silently. */
export function LgcOffer({ offer, onOpen, onIgnore }: { offer: LaunchContext; onOpen: () => void; onIgnore: () => void }) {
  const name = `${offer.birthName} ${offer.firstNames[0] ?? ''}`.trim();
  return (
    <div className="lgc-offer" role="status" data-testid="lgc-offer">
      <p>{fr.lgc.offer(name)}</p>
      <button type="button" className="button button-small" onClick={onOpen} data-testid="lgc-offer-open">
        {fr.lgc.open}
      </button>
      <button type="button" className="button button-small button-quiet" onClick={onIgnore}>
        {fr.lgc.ignore}
      </button>
    </div>
  );
}
