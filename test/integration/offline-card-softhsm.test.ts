/**
 * Offline card sign-in (main/auth/offline-card.ts) on a real PKCS#11 token (SoftHSM2, test PKI):
 * after one online sign-in has cached the holder, the platform being unreachable, the card
 * signs a local statement that is verified with the cached certificate. A PIN is still needed, a
 * wrong one still fails; an unknown card, a renewed/cloned certificate and a card whose key does
 * not match its certificate are refused with a reason the window words in French.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Professional } from '../../contract';
import { cachedCardHolder, holderAccount, offlineCardSignIn, rememberCardHolder } from '../../main/auth/offline-card';
import { toErrorShape } from '../../main/errors';
import { Pkcs11CardReader } from '../../native-bridges/card/pkcs11-reader';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';
import { DEMO_GP_CARD, testPki, type IssuedCertificate } from '../fixtures/pki/pki';
import { createSoftHsmToken, findSoftHsm, type SoftHsmToken } from '../fixtures/pki/softhsm-token';
import { fr } from '../../renderer/src/i18n/fr';

const softhsm = findSoftHsm();
if (!softhsm) console.warn('[offline-card] SKIPPED: needs softhsm2 and opensc');
const PIN = '48203917';

const DUFAU: Professional = {
  id: 'pract-dufau',
  rpps: DEMO_GP_CARD.rpps,
  idNatPs: DEMO_GP_CARD.idNatPs,
  familyName: DEMO_GP_CARD.familyName,
  givenName: DEMO_GP_CARD.givenName,
  profession: { code: '10', label: 'Médecin' },
  roleLabel: 'Médecin généraliste',
};

let token: SoftHsmToken | null = null;
let reader: Pkcs11CardReader | null = null;
afterEach(async () => {
  await reader?.close();
  token?.destroy();
  reader = null;
  token = null;
});

async function card(holder: IssuedCertificate): Promise<{ reader: Pkcs11CardReader; slotId: string }> {
  token = createSoftHsmToken({ holder, pin: PIN, signature: null });
  process.env.SOFTHSM2_CONF = token.conf;
  reader = new Pkcs11CardReader(token.lib);
  const slot = (await reader.listSlots()).find((s) => s.tokenPresent)!;
  return { reader, slotId: slot.slotId };
}

const reasonOf = async (p: Promise<unknown>) => p.then(() => 'signed in', (e: unknown) => toErrorShape(e));

describe.skipIf(!softhsm)('offline card sign-in (SoftHSM2)', () => {
  it('a card seen online signs in offline with its PIN; a wrong PIN still fails', async () => {
    const secrets = new MemorySecretStore();
    const { reader: r, slotId } = await card(testPki().gp);
    // What the online sign-in keeps: the certificate as the card gave it, the platform's professional.
    await rememberCardHolder(secrets, await r.readAuthCertificate(slotId), DUFAU, new Date('2026-11-30T08:00:00Z'));
    expect(JSON.parse((await secrets.get(holderAccount(DEMO_GP_CARD.idNatPs)))!)).not.toHaveProperty('pin');

    const wrong = await reasonOf(offlineCardSignIn({ reader: r, slotId, secrets, pin: '00000000' }));
    expect(wrong).toMatchObject({ code: 'PIN_INCORRECT' });
    expect(JSON.stringify(wrong)).not.toContain('00000000');

    const ok = await offlineCardSignIn({ reader: r, slotId, secrets, pin: PIN });
    expect(ok.professional).toEqual(DUFAU);
    expect(ok.lastOnlineAt).toBe('2026-11-30T08:00:00.000Z');
  });

  it('an unknown card is refused before its PIN is used, with a French message for the window', async () => {
    const secrets = new MemorySecretStore();
    const { reader: r, slotId } = await card(testPki().nurse);
    const before = await r.pinStatus(slotId);
    const refused = await reasonOf(offlineCardSignIn({ reader: r, slotId, secrets, pin: '00000000' }));
    expect(refused).toMatchObject({ code: 'PLATFORM_UNREACHABLE', reason: 'CARD_UNKNOWN_OFFLINE' });
    // The wrong PIN was never tried on the card: no try counted.
    expect(await r.pinStatus(slotId)).toEqual(before);
    expect(fr.signIn.pscErrors.CARD_UNKNOWN_OFFLINE).toMatch(/jamais été utilisée.*plateforme joignable/);
  });

  it('another certificate with the same holder (a renewed or cloned card) is refused', async () => {
    const secrets = new MemorySecretStore();
    await rememberCardHolder(secrets, testPki().gp.certificatePem, DUFAU);
    const { reader: r, slotId } = await card(testPki().rogueGp);
    expect(await reasonOf(offlineCardSignIn({ reader: r, slotId, secrets, pin: PIN }))).toMatchObject({ code: 'PLATFORM_UNREACHABLE', reason: 'CARD_MISMATCH_OFFLINE' });
  });

  it('the right certificate on a card whose key is another one: the signature does not verify, refused', async () => {
    const secrets = new MemorySecretStore();
    await rememberCardHolder(secrets, testPki().gp.certificatePem, DUFAU);
    // The GP's certificate copied onto a card holding someone else's private key.
    const forged: IssuedCertificate = { ...testPki().gp, privateKeyDer: testPki().rogueGp.privateKeyDer, privateKeyPem: testPki().rogueGp.privateKeyPem };
    const { reader: r, slotId } = await card(forged);
    expect(await reasonOf(offlineCardSignIn({ reader: r, slotId, secrets, pin: PIN }))).toMatchObject({ code: 'PLATFORM_UNREACHABLE', reason: 'CARD_MISMATCH_OFFLINE' });
  });

  it('the cache refuses a professional the card does not name, and ignores an unreadable entry', async () => {
    const secrets = new MemorySecretStore();
    await expect(rememberCardHolder(secrets, testPki().nurse.certificatePem, DUFAU)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await secrets.set(holderAccount(DEMO_GP_CARD.idNatPs), '{"v":1,"certificatePem":');
    expect(await cachedCardHolder(secrets, DEMO_GP_CARD.idNatPs)).toBeNull();
  });
});
