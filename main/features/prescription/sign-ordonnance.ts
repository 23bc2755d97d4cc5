/**
 * The ordonnance signed with the CPS card (docs/prescription.md « Signature »): rendered with the
 * visible box « Signé par … le … à … », then signed PAdES (ETSI.CAdES.detached, SHA-256,
 * signing-certificate-v2) by the card's signature key through main/signature. The PIN is used
 * by this call only.
 */
import type { DocumentSigner } from '../../signature/card-document-signer';
import { signPdf } from '../../signature/pades';
import { prescriberDisplayName, renderOrdonnancePdf, signatureBoxRect, type OrdonnanceInput } from './ordonnance-pdf';

export async function signOrdonnance(
  input: Omit<OrdonnanceInput, 'signature' | 'preview'>,
  signer: DocumentSigner,
  pin: string,
): Promise<Buffer> {
  const signedAt = new Date(input.authoredOn);
  const printedName = prescriberDisplayName(input.prescriber);
  return signer.withSignatureKey(pin, async (key, holder) => {
    const pdf = await renderOrdonnancePdf({ ...input, signature: { kind: 'card', signerName: printedName, signedAt: input.authoredOn } });
    return signPdf(pdf, key, {
      signerName: holder.holderName,
      signedAt,
      reason: 'Ordonnance',
      location: input.prescriber.structure.address.at(-1) ?? 'France',
      widgetRect: signatureBoxRect(),
    });
  });
}
