/**
 * The ordonnance signed with the CPS card's SIGNATURE key on a real PKCS#11 token (SoftHSM2 with
 * the test PKI: authentication pair CKA_ID 0x20, signature pair 0x10), checked by independent
 * tools: poppler's `pdfsig` (NSS) says the signature is valid and the document unmodified, and
 * that one flipped byte breaks it; `openssl cms` reads the signing-certificate-v2 attribute and
 * the signer (the signature certificate, not the authentication one); `pdftoppm` + `zbarimg` decode
 * the two Code 128 barcodes of the signed PDF.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createVerify } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient, Prescription } from '../../contract';
import type { PrescriberDetails } from '../../main/features/prescription/fhir-adapter';
import { signOrdonnance } from '../../main/features/prescription/sign-ordonnance';
import { cardDocumentSigner } from '../../main/signature/card-document-signer';
import { Pkcs11CardReader } from '../../native-bridges/card/pkcs11-reader';
import { PinError } from '../../native-bridges/card/types';
import { DEMO_GP_CARD, testPki } from '../fixtures/pki/pki';
import { createSoftHsmToken, findSoftHsm, type SoftHsmToken } from '../fixtures/pki/softhsm-token';

const softhsm = findSoftHsm();
const has = (cmd: string) => spawnSync('which', [cmd]).status === 0;
const tools = ['pdfsig', 'pdftoppm', 'zbarimg', 'openssl'].every(has);
if (!softhsm || !tools) console.warn('[ordonnance-signature] SKIPPED: needs softhsm2, opensc, poppler-utils, zbar-tools, openssl');
const PIN = '48203917';

export const SIGN_TEST_PRESCRIBER: PrescriberDetails = {
  practitionerId: 'pract-dufau',
  prefix: 'Dr',
  givenName: 'Hélène',
  familyName: 'DUFAU',
  rpps: DEMO_GP_CARD.rpps,
  roleLabel: 'Médecin généraliste',
  specialty: 'Médecine générale',
  structure: { name: 'MSP des Arènes', identifier: { kind: 'AM', value: '401010100' }, address: ['12 rue des Arènes', '40000 Mont-de-Marsan'], phone: null },
};
const patient: Patient = {
  id: 'p1',
  ins: { value: '279034012345678', oid: '1.2.250.1.213.1.4.8' },
  birthName: 'LABORDE',
  usedName: 'CŒUR',
  firstNames: ['Jeanne', 'Marie'],
  birthDate: '1952-03-04',
  sex: 'F',
} as unknown as Patient;
const prescription: Prescription = {
  weightKg: null,
  lines: [{ medication: 'Amoxicilline 1 g, comprimé', posology: '1 comprimé matin et soir', route: 'voie orale', durationDays: 7, packs: null, renewals: 0, ald: false, instructions: '', drug: null, dosage: null, nonSubstitutable: null }],
};

/** pdfsig's verdict lines for the first signature. */
function pdfsig(file: string): { validation: string; signer: string; total: string } {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  const line = (label: string) => new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(out)?.[1]?.trim() ?? `(no ${label} in: ${out})`;
  return { validation: line('Signature Validation'), signer: line('Signer Certificate Common Name'), total: line('Signed Ranges') + ' / ' + line('Total document signed') };
}

function cmsOf(pdf: Buffer): Buffer {
  const m = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no /Contents');
  // The CMS is padded with zeros to the placeholder's size, and its own last bytes (the end of
  // the RSA signature) may be zeros too: the outer SEQUENCE's length says where it ends. Stripping
  // the trailing zeros cut such a signature short (one run in 256: « Too few bytes »).
  const der = Buffer.from(m[1]!, 'hex');
  const asn = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { parseAllBytes: false } as unknown as boolean);
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

describe.skipIf(!softhsm || !tools)('ordonnance signed with the SoftHSM2 card', () => {
  let token: SoftHsmToken;
  let reader: Pkcs11CardReader;
  let dir: string;
  let signed: Buffer;

  beforeAll(async () => {
    token = createSoftHsmToken({ pin: PIN });
    process.env.SOFTHSM2_CONF = token.conf;
    reader = new Pkcs11CardReader(token.lib);
    dir = mkdtempSync(join(tmpdir(), 'relais-sign-'));
    const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
    const signer = cardDocumentSigner(reader, slot.slotId, DEMO_GP_CARD.idNatPs);
    signed = await signOrdonnance(
      { prescriptionId: '0b6f3f8e-4f7a-4c1e-9a55-1f2a3b4c5d6e', authoredOn: '2026-12-01T09:42:00Z', prescriber: SIGN_TEST_PRESCRIBER, patient, prescription },
      signer,
      PIN,
    );
    writeFileSync(join(dir, 'signed.pdf'), signed);
  }, 120_000);
  afterAll(async () => {
    await reader?.close();
    token?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pdfsig: the signature is valid, by the GP, over the whole document (ETSI.CAdES.detached)', () => {
    const v = pdfsig(join(dir, 'signed.pdf'));
    expect(v.validation).toBe('Signature is Valid.');
    expect(v.signer).toBe(DEMO_GP_CARD.idNatPs);
    expect(v.total).toMatch(/The signature form field is signed|Total document signed/);
    const out = execFileSync('pdfsig', [join(dir, 'signed.pdf')], { encoding: 'utf8' });
    expect(out).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    expect(out).toMatch(/Signing Hash Algorithm: SHA-256/);
    expect(out).toMatch(/Total document signed/);
  });

  it('one flipped byte inside the signed range makes it invalid', () => {
    const text = signed.toString('latin1');
    // A byte of the page's content (before the signature dictionary): the text « Ordonnance ».
    const at = text.indexOf('/Title');
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(signed);
    tampered[at + 2] = tampered[at + 2]! ^ 0x01;
    writeFileSync(join(dir, 'tampered.pdf'), tampered);
    const v = pdfsig(join(dir, 'tampered.pdf'));
    expect(v.validation).not.toBe('Signature is Valid.');
    expect(v.validation).toMatch(/Digest Mismatch|Invalid/i);
  });

  it('is made by the SIGNATURE key and certificate, with signing-certificate-v2 over that certificate', () => {
    const cms = cmsOf(signed);
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], { input: cms, encoding: 'utf8' });
    expect(printed).toMatch(/id-smime-aa-signingCertificateV2|signingCertificateV2/);
    expect(printed).toMatch(/contentType/);
    expect(printed).toMatch(/messageDigest/);
    expect(printed).not.toMatch(/signingTime/);
    const p7 = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(cms.toString('binary'))) as unknown as {
      certificates: forge.pki.Certificate[];
      rawCapture: { signature: string; authenticatedAttributes: forge.asn1.Asn1[]; serial: string };
    };
    const pki = testPki();
    const sigCert = forge.pki.certificateFromPem(pki.gpSignature.certificatePem);
    expect(p7.certificates.map((c) => c.serialNumber)).toEqual([sigCert.serialNumber]);
    expect(forge.util.bytesToHex(p7.rawCapture.serial)).toBe(sigCert.serialNumber);
    // The RSA signature verifies over the signed attributes with the signature key, not the authentication one.
    const attrsDer = Buffer.from(
      forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, p7.rawCapture.authenticatedAttributes)).getBytes(),
      'binary',
    );
    const signature = Buffer.from(p7.rawCapture.signature, 'binary');
    const verifies = (pem: string) => createVerify('sha256').update(attrsDer).verify(pem, signature);
    expect(verifies(pki.gpSignature.certificatePem)).toBe(true);
    expect(verifies(pki.gp.certificatePem)).toBe(false);
    // ESSCertIDv2's hash is SHA-256 of the signature certificate.
    const certHash = createHash('sha256').update(pki.gpSignature.certificateDer).digest('hex');
    expect(printed.replace(/[\s:-]/g, '').toLowerCase()).toContain(certHash);
  });

  it('shows the visible signature box naming the signer and the time', () => {
    const out = execFileSync('pdftotext', ['-layout', join(dir, 'signed.pdf'), '-'], { encoding: 'utf8' });
    expect(out).toContain('Signé par Dr Hélène DUFAU');
    expect(out).toContain('le 1er décembre 2026 à 10:42');
    expect(out).toContain('Signature électronique avec la carte CPS');
  });

  it('its two Code 128 barcodes decode with zbarimg (RPPS, then the structure number)', () => {
    execFileSync('pdftoppm', ['-r', '300', '-png', '-f', '1', '-l', '1', join(dir, 'signed.pdf'), join(dir, 'page')]);
    const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    const out = execFileSync('zbarimg', ['-q', join(dir, png)], { encoding: 'utf8' });
    const codes = out.trim().split('\n').sort();
    expect(codes).toEqual(['CODE-128:401010100', `CODE-128:${DEMO_GP_CARD.rpps}`].sort());
  });

  it('a wrong PIN signs nothing (PIN_INCORRECT) and the card is logged out after each signature', async () => {
    const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
    const signer = cardDocumentSigner(reader, slot.slotId, DEMO_GP_CARD.idNatPs);
    const run = signer.withSignatureKey('00000000', async () => 'never');
    await expect(run).rejects.toBeInstanceOf(PinError);
    await expect(run).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    // Logged out: the signature key refuses without a new login.
    await expect(reader.signWithSignatureKey(slot.slotId, new Uint8Array([1]))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('another holder’s card is refused before the PIN is used', async () => {
    const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
    const signer = cardDocumentSigner(reader, slot.slotId, '899700002019');
    await expect(signer.withSignatureKey(PIN, async () => 'never')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe.skipIf(!softhsm || !tools)('a card without a signature pair', () => {
  it('cannot sign a document: no fallback to the authentication key (INVALID_INPUT before the PIN is used)', async () => {
    const token = createSoftHsmToken({ pin: PIN, signature: null });
    process.env.SOFTHSM2_CONF = token.conf;
    const reader = new Pkcs11CardReader(token.lib);
    try {
      const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
      // The authentication pair is there and works for sign-in…
      await reader.login(slot.slotId, PIN);
      expect((await reader.sign(slot.slotId, new Uint8Array([1, 2, 3]))).length).toBe(256);
      // …but never signs a document.
      await expect(reader.signWithSignatureKey(slot.slotId, new Uint8Array([1]))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await reader.logout(slot.slotId);
      const signer = cardDocumentSigner(reader, slot.slotId, DEMO_GP_CARD.idNatPs);
      await expect(signer.withSignatureKey(PIN, async () => 'never')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await reader.close();
      token.destroy();
    }
  }, 60_000);
});
