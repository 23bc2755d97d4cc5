/**
 * What the composer's main button does, decided from the session: the one seam the CPS-card
 * signature (issue 14 item 5) changes. Until a card signature exists the ordonnance is printed to
 * be signed by hand, and the button says so — never « Signer ».
 */
import type { Session } from '../../contract';
import { fr } from '../../i18n/fr';

export type SignatureAction = { kind: 'print'; label: string; busyLabel: string; note: string };

/** The session is an argument so the card signature can answer { kind: 'card', … } for a card session. */
export function signatureAction(_session: Pick<Session, 'method' | 'card'> | null): SignatureAction {
  return { kind: 'print', label: fr.rx.printForSignature, busyLabel: fr.rx.printing, note: fr.rx.signatureNote };
}
