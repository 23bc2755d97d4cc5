/**
 * A detached CMS SignedData (RFC 5652) for a PAdES signature (ETSI EN 319 142-1, baseline B-B),
 * made with node-forge while the RSA signature of the signed attributes is computed by the card.
 *
 * node-forge's pkcs7 signs synchronously with a key object it holds and knows only three signed
 * attributes (contentType, messageDigest, signingTime), so it is used in two steps:
 * 1. forge builds the SignedData with contentType + messageDigest (SHA-256 of the PDF's byte
 *    ranges) and a placeholder key whose "signature" is thrown away;
 * 2. the ESS signing-certificate-v2 attribute (RFC 5035) is appended to forge's own signed
 *    attributes node, the attributes are DER-encoded as a SET (RFC 5652 §5.4), the card signs
 *    those bytes (CKM_SHA256_RSA_PKCS: the card hashes and signs), and the signature replaces
 *    the placeholder in the SignerInfo.
 * No signing-time attribute: PAdES B-B puts the claimed time in the signature dictionary (/M).
 * The attributes are in DER order (contentType, messageDigest, signingCertificateV2: encodings of
 * increasing length), so a verifier that re-encodes them gets the same bytes.
 */
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';

const { asn1 } = forge;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** What signs: the certificate of the key, and the key's signature of SHA-256(data) (PKCS#1 v1.5). */
export interface SigningKey {
  certificatePem: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const bin = (bytes: Uint8Array): string => Buffer.from(bytes).toString('binary');

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (SHA-256 is the default hashAlgorithm, so omitted). */
export function signingCertificateV2Attribute(cert: forge.pki.Certificate): forge.asn1.Asn1 {
  const certDer = asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const hash = forge.md.sha256.create().update(certDer).digest().getBytes();
  const issuerSerial = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    // GeneralNames: one directoryName [4] holding the issuer's Name.
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [forge.pki.distinguishedNameToAsn1(cert.issuer)]),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(cert.serialNumber)),
  ]);
  const essCertIdV2 = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, hash),
    issuerSerial,
  ]);
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [essCertIdV2]),
  ]);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID.signingCertificateV2).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [value]),
  ]);
}

interface ForgeSigner {
  authenticatedAttributesAsn1: forge.asn1.Asn1;
}
interface ForgeSignedData {
  signers: ForgeSigner[];
  signerInfos: forge.asn1.Asn1[];
}

/** The detached CMS (DER) over `content`, signed by `key`. */
export async function detachedCms(content: Uint8Array, key: SigningKey): Promise<Buffer> {
  const cert = forge.pki.certificateFromPem(key.certificatePem);
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(bin(content));
  p7.addCertificate(cert);
  // Step 1: forge's structure; the placeholder key's output is replaced below.
  const placeholderKey = { sign: () => '' } as unknown as forge.pki.rsa.PrivateKey;
  p7.addSigner({
    key: placeholderKey,
    certificate: cert,
    digestAlgorithm: forge.pki.oids.sha256!,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType!, value: forge.pki.oids.data! },
      { type: forge.pki.oids.messageDigest! },
    ],
  });
  p7.sign({ detached: true });
  const internals = p7 as unknown as ForgeSignedData;
  const signer = internals.signers[0]!;
  const signerInfo = internals.signerInfos[0]!;
  // Step 2: the same node object is referenced from the SignerInfo, so appending here appends there.
  const attrs = signer.authenticatedAttributesAsn1.value as forge.asn1.Asn1[];
  attrs.push(signingCertificateV2Attribute(cert));
  const toSign = asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attrs)).getBytes();
  const signature = await key.sign(Buffer.from(toSign, 'binary'));
  const fields = signerInfo.value as forge.asn1.Asn1[];
  // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature.
  const sigField = fields[5];
  if (!sigField || sigField.type !== asn1.Type.OCTETSTRING || fields[3] !== signer.authenticatedAttributesAsn1) {
    throw new Error('unexpected SignerInfo layout from node-forge');
  }
  sigField.value = bin(signature);
  return Buffer.from(asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

/** The @signpdf Signer: signpdf hands it the PDF's byte ranges, it answers the CMS. */
export class CardCmsSigner extends Signer {
  constructor(private readonly key: SigningKey) {
    super();
  }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return detachedCms(pdfBuffer, this.key);
  }
}
