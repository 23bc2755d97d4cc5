import { randomUUID } from 'node:crypto';
import type { Patient, Prescription } from '../contract';
import type { PrescriberDetails } from '../main/features/prescription/fhir-adapter';
import { renderOrdonnancePdf } from '../main/features/prescription/ordonnance-pdf';
import { signOrdonnance } from '../main/features/prescription/sign-ordonnance';
import { cardDocumentSigner } from '../main/signature/card-document-signer';
import { Pkcs11CardReader } from '../native-bridges/card/pkcs11-reader';
import { DEMO_GP_CARD } from '../test/fixtures/pki/pki';
import { createSoftHsmToken, findSoftHsm } from '../test/fixtures/pki/softhsm-token';
import { summarise, type BenchResult } from './harness';

const prescriber: PrescriberDetails = {
  practitionerId: 'prac-dufau',
  prefix: 'Dr',
  givenName: 'Hélène',
  familyName: 'DUFAU',
  rpps: DEMO_GP_CARD.rpps,
  roleLabel: 'Médecin généraliste',
  specialty: 'Médecine générale',
  structure: { name: 'MSP des Arènes', identifier: { kind: 'AM', value: '401010100' }, address: ['12 rue des Arènes', '40000 Mont-de-Marsan'], phone: null },
};
const patient = { id: 'p', birthName: 'LABORDE', usedName: null, firstNames: ['Jeanne'], birthDate: '1952-03-04', sex: 'F' } as unknown as Patient;
const prescription: Prescription = {
  weightKg: null,
  lines: [
    { medication: 'Amoxicilline 1 g, comprimé', posology: '1 comprimé matin et soir', route: 'voie orale', durationDays: 7, packs: null, renewals: 0, ald: false, instructions: '', drug: null, dosage: null, nonSubstitutable: null },
    { medication: 'Paracétamol 1 g, comprimé', posology: '1 comprimé 3 fois par jour si douleur', route: 'voie orale', durationDays: 5, packs: 1, renewals: 0, ald: false, instructions: '', drug: null, dosage: null, nonSubstitutable: null },
  ],
};

/**
 * The ordonnance rendered (pdf-lib, two Code 128 barcodes) — the baseline — and rendered + signed
 * PAdES by the card's signature key on a SoftHSM2 token (PIN login, placeholder, CMS with the
 * RSA signature by the token, logout). A real CPS signs more slowly than SoftHSM (smart-card RSA:
 * a few hundred ms), so the difference to the baseline is the software's share only.
 */
export async function benchOrdonnanceSign(n = 15): Promise<BenchResult[]> {
  const input = () => ({ prescriptionId: randomUUID(), authoredOn: new Date().toISOString(), prescriber, patient, prescription });
  const render: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await renderOrdonnancePdf({ ...input(), signature: { kind: 'demo' } });
    render.push(performance.now() - t0);
  }
  const results = [summarise('ordonnance-render', render, { note: 'pdf-lib + bwip-js, 2 lines, unsigned' })];
  if (!findSoftHsm()) return results;
  const token = createSoftHsmToken();
  process.env.SOFTHSM2_CONF = token.conf;
  const reader = new Pkcs11CardReader(token.lib);
  try {
    const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
    const signer = cardDocumentSigner(reader, slot.slotId, DEMO_GP_CARD.idNatPs);
    const signed: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await signOrdonnance(input(), signer, token.pin);
      signed.push(performance.now() - t0);
    }
    results.push(summarise('ordonnance-render-and-sign', signed, { baseline: 'ordonnance-render', note: 'PAdES on SoftHSM2 (RSA 2048, PIN login/logout each time)' }));
  } finally {
    await reader.close();
    token.destroy();
  }
  return results;
}

if (process.argv[1]?.endsWith('ordonnance-sign.ts')) {
  const { withRatios } = await import('./harness');
  console.log(JSON.stringify(withRatios(await benchOrdonnanceSign()), null, 1));
}
