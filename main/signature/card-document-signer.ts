/**
 * Signing a document with the professional's card: PIN → card login → signature certificate
 * (checked to be the signed-in holder's) → the card signs → logout, within one call. The PIN is a
 * parameter of this call only (docs/card-sign-in.md « PIN handling »): never kept, logged or put
 * in an error. The key is the card's SIGNATURE key (native-bridges/card/signature-key.ts), never
 * the authentication key.
 */
import { RelaisError } from '../../contract';
import { parseCardCertificate } from '../../native-bridges/card/certificate';
import { canSignDocuments } from '../../native-bridges/card/signature-key';
import type { CardReader } from '../../native-bridges/card/types';
import type { SigningKey } from './cms-signer';
import { whileSigning } from './signing-state';

export interface SignatureCertificateInfo {
  /** « Hélène DUFAU »: the holder named by the signature certificate. */
  holderName: string;
  idNatPs: string;
}

export interface DocumentSigner {
  /**
   * Logs in with the PIN, hands `run` the signature key, logs out whatever happens. PinError
   * (PIN_INCORRECT / PIN_LOCKED), CARD_REMOVED, FORBIDDEN (another holder's card), INVALID_INPUT
   * (no signature key on the card).
   */
  withSignatureKey<T>(pin: string, run: (key: SigningKey, holder: SignatureCertificateInfo) => Promise<T>): Promise<T>;
}

export function cardDocumentSigner(reader: CardReader, slotId: string, expectedIdNatPs: string): DocumentSigner {
  return {
    withSignatureKey: (pin, run) => whileSigning(async () => {
      if (!canSignDocuments(reader)) throw new RelaisError('INVALID_INPUT', 'this card reader cannot sign documents', 'card');
      const certificatePem = await reader.readSignatureCertificate(slotId);
      const identity = parseCardCertificate(certificatePem);
      if (identity.idNatPs !== expectedIdNatPs) throw new RelaisError('FORBIDDEN', 'the card in the reader belongs to someone else');
      await reader.login(slotId, pin);
      try {
        return await run(
          { certificatePem, sign: (data) => reader.signWithSignatureKey(slotId, data) },
          { holderName: `${identity.givenName} ${identity.familyName}`, idNatPs: identity.idNatPs },
        );
      } finally {
        await reader.logout(slotId);
      }
    }),
  };
}
