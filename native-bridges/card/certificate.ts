/**
 * Parses the authentication certificate of a CPS / CPE (node-forge).
 *
 * Subject (DOMAIN.md): a multi-valued RDN `SN=<name>+CN=<idNatPS>+GN=<first name>`, then
 * `title=<profession label>`, `C=FR`. forge flattens the attributes of every RDN set, so the
 * three values of the multi-valued RDN are all read (a parser that takes "the" CN of the last
 * RDN, or splits an RFC 4514 string on commas, loses the national id).
 *
 * CPS vs CPE (Relais convention, documented in docs/card-sign-in.md):
 * - idNatPS = '8' + RPPS (11 digits) → CPS, a health professional; rpps is set.
 * - idNatPS = <structure type digit> + <structure id> + '/' + <staff number>, e.g.
 *   '3' + FINESS + '/SEC0001' → CPE, staff of that structure (secretary…); rpps is null and
 *   structureId is the part before '/'.
 * Anything else is refused (INVALID_INPUT): Relais does not guess an identity.
 */
import forge from 'node-forge';
import { isValidRpps, RelaisError } from '../../contract';

export type CardKind = 'CPS' | 'CPE';

export interface CardIdentity {
  kind: CardKind;
  idNatPs: string;
  /** 11 digits for a CPS; null for a CPE. */
  rpps: string | null;
  /** For a CPE: the structure part of idNatPS (type digit + id). */
  structureId: string | null;
  familyName: string;
  givenName: string;
  /** The subject's `title`: profession label for a CPS (« Médecin »), function for a CPE. */
  professionLabel: string;
  /** TRE-G15 code when the label is a known profession, else null. */
  professionCode: string | null;
  issuerCommonName: string;
  /** Hex serial number of the certificate. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

const OID = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
} as const;

/** Profession label → TRE-G15 code (the labels IGC-Santé certificates carry). */
const PROFESSION_CODES: Record<string, string> = {
  médecin: '10',
  pharmacien: '21',
  'chirurgien-dentiste': '40',
  'sage-femme': '50',
  infirmier: '60',
  'masseur-kinésithérapeute': '70',
};

type ForgeAttribute = { type?: string; value?: unknown; valueTagClass?: number };

function attributeValue(attributes: ForgeAttribute[], oid: string): string | undefined {
  const attr = attributes.find((a) => a.type === oid);
  if (!attr || typeof attr.value !== 'string') return undefined;
  // forge keeps UTF8String values as their UTF-8 bytes.
  return attr.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(attr.value) : attr.value;
}

export function parseIdNatPs(idNatPs: string): Pick<CardIdentity, 'kind' | 'rpps' | 'structureId'> {
  if (/^8\d{11}$/.test(idNatPs)) {
    // A CPS names its holder by RPPS: one failing its check digit is a damaged or forged certificate.
    if (!isValidRpps(idNatPs.slice(1))) throw new RelaisError('INVALID_INPUT', 'certificate idNatPS carries an RPPS with a wrong check digit', 'certificate');
    return { kind: 'CPS', rpps: idNatPs.slice(1), structureId: null };
  }
  const cpe = /^([0-9][0-9A-Z]{1,20})\/([0-9A-Za-z]{1,20})$/.exec(idNatPs);
  if (cpe) return { kind: 'CPE', rpps: null, structureId: cpe[1]! };
  throw new RelaisError('INVALID_INPUT', 'certificate CN is not an idNatPS (8+RPPS, or structure/staff)', 'certificate');
}

export function parseCardCertificate(pem: string): CardIdentity {
  let cert: forge.pki.Certificate;
  try {
    cert = forge.pki.certificateFromPem(pem);
  } catch (error) {
    throw new RelaisError('INVALID_INPUT', `certificate unreadable: ${String(error).slice(0, 120)}`, 'certificate');
  }
  const subject = cert.subject.attributes as ForgeAttribute[];
  const idNatPs = attributeValue(subject, OID.commonName);
  const familyName = attributeValue(subject, OID.surname);
  const givenName = attributeValue(subject, OID.givenName);
  if (!idNatPs || !familyName || !givenName) {
    throw new RelaisError('INVALID_INPUT', 'certificate subject lacks SN, CN or GN', 'certificate');
  }
  const professionLabel = attributeValue(subject, OID.title) ?? '';
  const issuerCommonName = attributeValue(cert.issuer.attributes as ForgeAttribute[], OID.commonName) ?? '';
  return {
    ...parseIdNatPs(idNatPs),
    idNatPs,
    familyName,
    givenName,
    professionLabel,
    professionCode: PROFESSION_CODES[professionLabel.toLocaleLowerCase('fr')] ?? null,
    issuerCommonName,
    serialNumber: cert.serialNumber,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}

/** DER bytes → PEM (PKCS#11 returns CKA_VALUE as DER). */
export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}
