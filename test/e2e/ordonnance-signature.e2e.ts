/**
 * Issue 14 (items 5–6) in Debian's Chromium against the web host: the GP signs in with a SoftHSM2
 * card (test PKI: authentication + signature pairs) and PIN, writes an ordonnance, « Signer avec la
 * carte CPS et envoyer » asks the PIN again, the ordonnance is signed with the card's signature
 * key; the PDF stored on the platform passes `pdfsig`, its two Code 128 barcodes decode with
 * `zbarimg`; the care team's pharmacist gets her task, and her answer comes back in the journal.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry, Patient } from '../../contract';
import { Pkcs11CardReader } from '../../native-bridges/card/pkcs11-reader';
import { DEMO_GP_ID } from '../../sandbox/seed/index';
import { DEMO_GP_CARD } from '../fixtures/pki/pki';
import { createSoftHsmToken, findSoftHsm, type SoftHsmToken } from '../fixtures/pki/softhsm-token';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'docs', 'screens');
const PIN = '26481357';
const tools = ['pdfsig', 'pdftoppm', 'zbarimg'].every((c) => spawnSync('which', [c]).status === 0);
const softhsm = findSoftHsm();
if (!softhsm || !tools) console.warn('[ordonnance-signature e2e] SKIPPED: needs softhsm2, opensc, poppler-utils, zbar-tools');

describe.skipIf(!softhsm || !tools)('ordonnance signed with the CPS card (web host, Chromium, SoftHSM2)', () => {
  let token: SoftHsmToken;
  let app: AppFixture;
  let browser: Browser;
  let page: Page;
  let patient: Patient;
  let dir: string;

  beforeAll(async () => {
    token = createSoftHsmToken({ pin: PIN });
    process.env.SOFTHSM2_CONF = token.conf;
    app = await startApp({ card: new Pkcs11CardReader(token.lib) });
    ({ browser, page } = await openAppPage(app, { width: 1440, height: 1000 }));
    patient = (await app.platform.listPatientsFollowedBy(DEMO_GP_ID)).find((p) => p.id === 'pat-01')!;
    dir = mkdtempSync(join(tmpdir(), 'relais-e2e-sign-'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    token?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const fill = async (line: number, label: string, value: string) => {
    await page.getByTestId('prescription-line').nth(line).getByLabel(label).fill(value);
  };

  it('signs with the card and PIN; the stored PDF passes pdfsig and zbarimg; the pharmacist answers in the journal', async () => {
    await page.getByTestId('sign-in-screen').waitFor();
    await page.locator('#signin-screen-pin').fill(PIN);
    await page.keyboard.press('Enter');
    await page.locator('.professional-name').waitFor({ timeout: 20_000 });
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 20_000 }).toContain(patient.birthName);

    await page.getByTestId('prescription-open').click();
    const dialog = page.getByTestId('prescription-dialog');
    await dialog.getByTestId('identity-banner').waitFor();
    await fill(0, 'Médicament', 'Amoxicilline 1 g, comprimé');
    await fill(0, 'Posologie', '1 comprimé matin et soir');
    await fill(0, 'Voie', 'voie orale');
    await fill(0, 'Durée', '7');
    const send = dialog.getByTestId('prescription-send');
    await expect.poll(() => send.textContent()).toBe('Signer avec la carte CPS et envoyer');
    await send.click();
    const prompt = page.getByTestId('prescription-pin');
    await prompt.waitFor();
    await prompt.getByLabel('Code PIN (4 à 8 chiffres)').fill(PIN);
    await dialog.screenshot({ path: join(SHOTS, 'prescription-sign-pin.png') });
    await prompt.getByTestId('prescription-pin-sign').click();
    await expect
      .poll(async () => ((await dialog.isVisible()) ? ((await page.getByTestId('prescription-error').count()) > 0 ? await page.getByTestId('prescription-error').textContent() : 'open') : 'closed'), {
        timeout: 30_000,
      })
      .toBe('closed');

    // The ordonnance on the platform: its PDF as stored.
    let ordonnance: JournalEntry | undefined;
    await expect
      .poll(
        async () => {
          for await (const batch of app.platform.fetchJournal(patient.id)) {
            ordonnance = batch.entries.find((e) => e.text.startsWith('Ordonnance du') && e.text.includes('Amoxicilline') && e.attachments.some((a) => a.contentType === 'application/pdf'));
            break;
          }
          return ordonnance !== undefined;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const pdfAtt = ordonnance!.attachments.find((a) => a.contentType === 'application/pdf')!;
    const { data } = await app.platform.fetchAttachment(pdfAtt.url);
    const file = join(dir, 'ordonnance.pdf');
    writeFileSync(file, data);
    const sig = spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout;
    expect(/- Signature Validation: (.*)/.exec(sig)?.[1]).toBe('Signature is Valid.');
    expect(/- Signer Certificate Common Name: (.*)/.exec(sig)?.[1]).toBe(DEMO_GP_CARD.idNatPs);
    expect(sig).toContain('Total document signed');
    execFileSync('pdftoppm', ['-r', '300', '-png', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    const codes = execFileSync('zbarimg', ['-q', join(dir, png)], { encoding: 'utf8' }).trim().split('\n');
    expect(codes).toHaveLength(2);
    expect(codes.every((c) => c.startsWith('CODE-128:'))).toBe(true);
    expect(codes).toContain(`CODE-128:${DEMO_GP_CARD.rpps}`);

    // The pharmacist's task (« Mes tâches » on her side) and her answer in the GP's journal.
    // (polled: the test's own keep-alive socket may have been closed by the sandbox meanwhile)
    await expect
      .poll(async () => {
        const panels = await app.platform.getPatientPanels(patient.id, { professionalId: DEMO_GP_ID, from: new Date().toISOString() }).catch(() => null);
        return panels?.tasks.some((t) => t.description.startsWith('Nouvelle ordonnance à délivrer : Amoxicilline 1 g, comprimé')) ?? false;
      }, { timeout: 20_000 })
      .toBe(true);
    const answer = page.getByTestId('journal-entry').filter({ hasText: 'Pharmacie — ordonnance : Délivrée' }).first();
    await expect
      .poll(
        async () => {
          // What the background sync does every few minutes, now.
          await app.host.composition.core.journal.sync(patient.id);
          await app.host.composition.core.journal.refresh(patient);
          return answer.count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'prescription-signed-circuit.png') });
  }, 180_000);
});
