/**
 * Issue 15 in the window (web host, Chromium, card-authenticated sandbox): the GP names who reads
 * a message, every dialog names the patient, an admission request is chased and cancelled with a
 * reason, a refused launch greys out the chart on screen; then the secretary's card: her PPS shows
 * no clinical text and the « réservé aux soignants » message never reaches her journal.
 * Screenshots in docs/screens/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { FakeCardReader, type FakeToken } from '../../native-bridges/card/fake-reader';
import { DEMO_GP_ID } from '../../sandbox/seed/index';
import { testPki } from '../fixtures/pki/pki';
import { ROOT, contextOf, openAppPage, relaisCli, startApp, type AppFixture } from '../support/app-fixture';

const SCREENS = join(ROOT, 'docs', 'screens');
const gpCard: FakeToken = { label: 'CPS DUFAU', serial: 'GP-0001', certificatePem: testPki().gp.certificatePem, privateKeyPem: testPki().gp.privateKeyPem, pin: '1234' };
const secretaryCard: FakeToken = { label: 'CPE LABEYRIE', serial: 'SEC-0001', certificatePem: testPki().secretary.certificatePem, privateKeyPem: testPki().secretary.privateKeyPem, pin: '5678' };
const MEDICAL = 'Note Kp3z : troubles cognitifs en progression, MMS 19/30.';
const TEAM = 'Note Kp3z : rendez-vous de contrôle à prévoir dans un mois.';

let app: AppFixture;
let reader: FakeCardReader;
let browser: Browser;
let page: Page;
let patient: Patient;
let problems: string[] = [];

beforeAll(async () => {
  reader = new FakeCardReader(gpCard);
  app = await startApp({ card: reader });
  ({ browser, page } = await openAppPage(app, { width: 1280, height: 900 }));
  const gpPatients = await app.platform.listPatientsFollowedBy(DEMO_GP_ID);
  const secretaryPatients = new Set((await app.platform.listPatientsFollowedBy('staff-labeyrie')).map((p) => p.id));
  for (const p of gpPatients) {
    if (!p.ins || !secretaryPatients.has(p.id) || p.identityStatus !== 'QUAL') continue;
    const panels = await app.platform.getPatientPanels(p.id, { professionalId: DEMO_GP_ID, from: new Date().toISOString() });
    if (panels.pps && panels.pps.problems.length > 0) {
      patient = p;
      problems = panels.pps.problems;
      break;
    }
  }
  if (!patient) throw new Error('the seed has no shared patient with a PPS');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const localDay = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe('clinical safety in the window (issue 15)', () => {
  it('the GP chooses who reads a message before posting', async () => {
    await page.getByTestId('sign-in-screen').waitFor();
    await page.locator('#signin-screen-pin').fill('1234');
    await page.keyboard.press('Enter');
    await page.getByTestId('patient-list').waitFor({ timeout: 20_000 });
    await page.getByTestId('patient-list').getByText(patient.birthName, { exact: false }).first().click();
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
    // A physician starts on « réservé aux soignants », shown before posting (the compact composer
    // shows its choices once focused).
    const draft = page.getByTestId('composer').locator('textarea');
    await draft.focus();
    const audience = page.getByTestId('audience-choice');
    await audience.waitFor();
    expect(await page.getByTestId('audience-medical').isChecked()).toBe(true);
    expect(await page.getByTestId('audience-hint').textContent()).toContain('Le secrétariat ne le verra pas');
    await draft.fill(MEDICAL);
    await page.getByTestId('composer').screenshot({ path: join(SCREENS, 'composer-audience.png') });
    await page.getByTestId('composer-publish').click();
    await expect.poll(() => draft.inputValue(), { timeout: 15_000 }).toBe('');
    await draft.focus();
    await page.getByTestId('audience-team').check();
    expect(await page.getByTestId('audience-hint').textContent()).toContain('Le secrétariat du cabinet le lira');
    await draft.fill(TEAM);
    await page.getByTestId('composer-publish').click();
    await expect.poll(() => draft.inputValue(), { timeout: 15_000 }).toBe('');
    await expect.poll(() => app.host.composition.core.outbox.counts().sent, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  });

  it('every dialog names the patient: Adresser, Demande d’admission, Nouveau rendez-vous, PPS, ordonnance', async () => {
    const named = `${patient.birthName.toLocaleUpperCase('fr-FR')} ${patient.firstNames[0]}`;
    const cases: [string, string][] = [
      ['referral-open', 'referral-dialog'],
      ['admission-new', 'admission-dialog'],
      ['appointment-book', 'appointment-dialog'],
      ['pps-edit', 'pps-edit-dialog'],
      ['prescription-open', 'prescription-dialog'],
    ];
    for (const [button, dialogId] of cases) {
      await page.getByTestId(button).click();
      const dialog = page.getByTestId(dialogId);
      await dialog.getByTestId('dialog-patient').first().waitFor({ timeout: 10_000 });
      const title = (await dialog.getByRole('heading').first().textContent()) ?? '';
      expect(title, dialogId).toContain(named);
      expect(title, dialogId).toMatch(/né\(e\) le \d{2}\/\d{2}\/\d{4}/);
      if (dialogId === 'admission-dialog') {
        expect(await dialog.getByTestId('admission-emergency').textContent()).toBe('Urgence vitale : appelez le 15');
        expect(await dialog.getByTestId('admission-motive-readers').textContent()).toContain('secrétariat compris');
        await page.screenshot({ path: join(SCREENS, 'admission-dialog-named.png') });
      }
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.isVisible(), { timeout: 5_000 }).toBe(false);
    }
  });

  it('an admission request is chased, then cancelled, with a reason; the journal files it as « Demande d’admission »', async () => {
    const admissions = page.getByTestId('panel-admissions');
    await admissions.getByTestId('admission-new').click();
    const form = page.getByTestId('admission-dialog');
    await expect.poll(() => form.getByLabel('Établissement').locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(3);
    await form.getByLabel('Programmée', { exact: true }).check();
    await form.getByLabel('Établissement').selectOption({ label: 'Centre hospitalier de Mont-de-Marsan' });
    await form.getByLabel('Date souhaitée').fill(localDay(10));
    await form.getByLabel('Motif').fill('Bilan de chutes répétées Kp3z');
    await form.getByRole('button', { name: 'Envoyer la demande' }).click();
    const request = admissions.getByTestId('admission').filter({ hasText: 'Kp3z' });
    await expect.poll(() => request.getAttribute('data-status'), { timeout: 20_000 }).toBe('requested');
    expect(await request.textContent()).toContain('Programmée');

    await request.getByTestId('admission-remind').click();
    const change = page.getByTestId('admission-change-dialog');
    expect(await change.getByRole('heading').textContent()).toContain(patient.birthName.toLocaleUpperCase('fr-FR'));
    await change.getByLabel('Message de relance').fill('Merci de nous confirmer la date d’entrée');
    await change.getByRole('button', { name: 'Relancer' }).click();
    await expect.poll(() => request.getByTestId('admission-history').textContent(), { timeout: 20_000 }).toContain("Relance de la demande d'admission : Merci de nous confirmer la date d’entrée");

    await request.getByTestId('admission-cancel').click();
    await change.getByLabel("Motif de l'annulation").fill('Bilan fait en consultation');
    await change.getByRole('button', { name: 'Annuler la demande' }).click();
    await expect.poll(() => request.getAttribute('data-status'), { timeout: 20_000 }).toBe('cancelled');
    expect(await request.getByTestId('admission-history').textContent()).toContain("Demande d'admission annulée : Bilan fait en consultation");
    expect(await request.getByTestId('admission-cancel').count()).toBe(0);
    await request.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'admission-cancel-relance.png') });
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 20_000 }).toContain("Demande d'admission annulée : Bilan fait en consultation");
    const journal = (await page.getByTestId('journal').textContent()) ?? '';
    expect(journal).toContain("Demande d'admission");
  });

  it('a refused launch greys out the chart on screen and makes it read-only until the GP chooses', async () => {
    const wrong = buildLaunchUrl(contextOf(patient)).replace('1.2.250.1.213.1.4.10', '1.2.250.1.213.1.4.99');
    expect((await relaisCli(app.dataDir, ['launch', wrong])).status).toBe(2);
    const hold = page.getByTestId('chart-hold');
    await hold.waitFor({ timeout: 10_000 });
    expect(await hold.textContent()).toContain('Ce dossier n’est pas celui affiché par votre logiciel');
    expect(await hold.textContent()).toContain(patient.birthName.toLocaleUpperCase('fr-FR'));
    expect(await page.getByTestId('chart-hold-error').getAttribute('data-code')).toBe('INS_OID_UNKNOWN');
    expect(await page.locator('main#main').getAttribute('data-held')).toBe('true');
    expect(await page.locator('main#main').evaluate((m) => (m as unknown as { inert: boolean }).inert)).toBe(true);
    // Read-only: the composer cannot be typed into.
    await page.getByTestId('composer').locator('textarea').fill('x', { timeout: 1_500 }).then(
      () => {
        throw new Error('the held chart accepted typing');
      },
      () => undefined,
    );
    await page.screenshot({ path: join(SCREENS, 'launch-refused-greyed.png') });
    await hold.getByRole('button', { name: 'Continuer sur ce dossier' }).click();
    await expect.poll(() => page.getByTestId('chart-hold').count()).toBe(0);
    expect(await page.locator('main#main').evaluate((m) => (m as unknown as { inert: boolean }).inert)).toBe(false);
  });

  it('a refused launch closes the ordonnance left open so the notice is seen; the ordonnance and message drafts are kept', async () => {
    const RX = 'Préparation Kp3z en texte libre';
    const DRAFT = 'Brouillon Kp3z : à relire après la consultation.';
    const draft = page.getByTestId('composer').locator('textarea');
    await draft.fill(DRAFT);
    await page.getByTestId('prescription-open').click();
    const dialog = page.getByTestId('prescription-dialog');
    const medication = dialog.getByTestId('drug-search').first();
    await medication.waitFor({ timeout: 10_000 });
    await medication.fill(RX);
    const wrong = buildLaunchUrl(contextOf(patient)).replace('1.2.250.1.213.1.4.10', '1.2.250.1.213.1.4.99');
    expect((await relaisCli(app.dataDir, ['launch', wrong])).status).toBe(2);
    const hold = page.getByTestId('chart-hold');
    await hold.waitFor({ timeout: 10_000 });
    // No modal left on top of « Ce dossier n'est pas celui affiché par votre logiciel ».
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(await hold.isVisible()).toBe(true);
    expect(await hold.textContent()).toContain('Ce dossier n’est pas celui affiché par votre logiciel');
    await page.screenshot({ path: join(SCREENS, 'launch-refused-dialog-closed.png') });
    await hold.getByRole('button', { name: 'Continuer sur ce dossier' }).click();
    await expect.poll(() => page.getByTestId('chart-hold').count()).toBe(0);
    // Both drafts survived the hold: the message in the composer, the ordonnance line when reopened.
    expect(await draft.inputValue()).toBe(DRAFT);
    await page.getByTestId('prescription-open').click();
    await expect.poll(() => dialog.getByTestId('drug-search').first().inputValue(), { timeout: 10_000 }).toBe(RX);
    await dialog.getByRole('button', { name: 'Fermer' }).first().click();
    await expect.poll(() => dialog.isVisible(), { timeout: 5_000 }).toBe(false);
    await draft.fill('');
  });

  it('the secretary: her PPS shows no clinical text, and the « réservé aux soignants » message never reaches her', async () => {
    reader.remove();
    await page.locator('#signin-pin').waitFor({ timeout: 15_000 });
    reader.insert(secretaryCard);
    await page.waitForTimeout(300);
    await page.locator('#signin-pin').fill('5678');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.professional-name').textContent(), { timeout: 20_000 }).toContain('LABEYRIE');
    await page.getByTestId('patient-list').getByText(patient.birthName, { exact: false }).first().click();
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
    const pps = page.getByTestId('panel-pps');
    await pps.waitFor();
    await expect.poll(() => pps.textContent(), { timeout: 15_000 }).toMatch(/Prochaine réévaluation/);
    const text = (await pps.textContent()) ?? '';
    for (const p of problems) expect(text).not.toContain(p);
    // No audience choice for her: what she writes is visible to the team.
    expect(await page.getByTestId('audience-choice').count()).toBe(0);
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 20_000 }).toContain(TEAM);
    expect(await page.getByTestId('journal').textContent()).not.toContain(MEDICAL);
    await pps.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'secretary-pps.png') });
  });
});
