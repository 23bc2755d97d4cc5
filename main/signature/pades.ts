/**
 * PAdES signature of a PDF (ETSI.CAdES.detached, SHA-256, signing-certificate-v2) with
 * @signpdf/signpdf: @signpdf/placeholder-pdf-lib reserves the /Contents and the /ByteRange and
 * adds the signature widget over the visible box the document already draws (`widgetRect`, on
 * the last page); signpdf computes the byte ranges and embeds the CMS our CardCmsSigner returns.
 */
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument } from 'pdf-lib';
import { CardCmsSigner, type SigningKey } from './cms-signer';

/** Room for the CMS: a 4096-bit signature, the certificate and the attributes fit in 16 KiB. */
const SIGNATURE_LENGTH = 16_384;

export interface PadesOptions {
  /** Who signs, as the signature dictionary names them (/Name). */
  signerName: string;
  /** Claimed signing time (/M): the time printed in the visible box. */
  signedAt: Date;
  reason: string;
  location: string;
  /** [x1, y1, x2, y2] of the visible signature box on the last page. */
  widgetRect: [number, number, number, number];
}

export async function signPdf(pdf: Uint8Array, key: SigningKey, options: PadesOptions): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  const pages = doc.getPages();
  pdflibAddPlaceholder({
    pdfPage: pages[pages.length - 1]!,
    reason: options.reason,
    contactInfo: '',
    name: options.signerName,
    location: options.location,
    signingTime: options.signedAt,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    widgetRect: options.widgetRect,
    appName: 'Relais',
  });
  // No object streams: the placeholder must stay a plain object signpdf can find in the bytes.
  const prepared = await doc.save({ useObjectStreams: false });
  return new SignPdf().sign(Buffer.from(prepared), new CardCmsSigner(key), options.signedAt);
}
