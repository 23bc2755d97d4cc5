import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { FakeCardReader, type FakeToken } from '../../native-bridges/card/fake-reader';
import { DEMO_GP_ID } from '../../sandbox/seed/index';
import { testPki } from '../fixtures/pki/pki';
import { ROOT, contextOf, openAppPage, relaisCli, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
const gpCard: FakeToken = { label: 'CPS DUFAU', serial: 'GP-0001', certificatePem: testPki().gp.certificatePem, privateKeyPem: testPki().gp.privateKeyPem, pin: '1234' };
const secretaryCard: FakeToken = {
  label: 'CPE LABEYRIE',
  serial: 'SEC-0001',
  certificatePem: testPki().secretary.certificatePem,
  privateKeyPem: testPki().secretary.privateKeyPem,
  pin: '5678',
};

let app: AppFixture;
let reader: FakeCardReader;
let browser: Browser;
let page: Page;
let patient: Patient;

beforeAll(async () => {
  reader = new FakeCardReader(gpCard);
  app = await startApp({ card: reader });
  ({ browser, page } = await openAppPage(app));
  // A patient both the GP and the secretary follow, with a PPS: what each may do differs.
  const gpPatients = await app.platform.listPatientsFollowedBy(DEMO_GP_ID);
  const secretaryPatients = new Set((await app.platform.listPatientsFollowedBy('staff-labeyrie')).map((p) => p.id));
  for (const p of gpPatients) {
    if (!p.ins || !secretaryPatients.has(p.id)) continue;
    const panels = await app.platform.getPatientPanels(p.id, { professionalId: DEMO_GP_ID, from: new Date().toISOString() });
    if (panels.pps) {
      patient = p;
      break;
    }
  }
  if (!patient) throw new Error('the seed has no shared patient with a PPS');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('signing in on a shared install (card reader, no demo identity)', () => {
  it('starts on the sign-in screen, holds a launch from the practice software, opens it after the PIN', async () => {
    const screen = page.getByTestId('sign-in-screen');
    await screen.waitFor();
    await expect.poll(() => page.getByTestId('card-holder').textContent()).toContain('Hélène DUFAU');
    expect(await page.getByTestId('sign-in-demo').count()).toBe(0);
    expect(await page.getByTestId('patient-list').count()).toBe(0);

    // The GP clicks in their software before signing in: Relais waits, and says so.
    const launch = await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(patient))]);
    expect(launch.status).not.toBe(0);
    await expect.poll(() => screen.textContent()).toContain('il s’ouvrira dès la connexion');
    expect(await page.content()).not.toContain(patient.birthName);
    await page.screenshot({ path: join(SHOTS, 'sign-in-screen.png') });

    await page.locator('#signin-screen-pin').fill('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => screen.textContent()).toContain('Il reste 2 essais');

    await page.locator('#signin-screen-pin').fill('1234');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
    expect(await page.locator('.professional-name').textContent()).toContain('DUFAU');
    // The GP prescribes, edits the PPS and books appointments.
    await page.getByTestId('prescription-open').waitFor();
    await page.getByTestId('pps-edit').waitFor();
    await page.getByTestId('referral-open').waitFor();
    await page.getByTestId('appointment-book').waitFor();
    await page.getByRole('heading', { name: /Traitements en cours/ }).waitFor();
  });

  it('swapping cards: removal locks, the secretary’s card and PIN open her own profile with her rights', async () => {
    reader.remove();
    await page.locator('#signin-pin').waitFor();
    expect(await page.getByTestId('patient-name').count()).toBe(0);
    reader.insert(secretaryCard);
    await page.waitForTimeout(300); // one poll of the reader (100 ms here) reads the new card
    await page.locator('#signin-pin').fill('5678');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.professional-name').textContent(), { timeout: 15_000 }).toContain('LABEYRIE');
    // Her window starts empty: nothing of the GP's screen survived the switch.
    expect(await page.getByTestId('patient-name').count()).toBe(0);
    const session = await app.host.composition.dispatch('session.current', {});
    expect(session).toMatchObject({ ok: true, value: { role: 'secretary' } });

    // Same patient: she manages appointments and admissions; no prescription, PPS editing or referral.
    await page.getByTestId('patient-list').getByText(patient.birthName, { exact: false }).first().click();
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
    await page.getByTestId('appointment-book').waitFor();
    await page.getByTestId('admission-new').waitFor();
    expect(await page.getByTestId('prescription-open').count()).toBe(0);
    expect(await page.getByTestId('pps-edit').count()).toBe(0);
    expect(await page.getByTestId('referral-open').count()).toBe(0);
    expect(await page.getByRole('heading', { name: /Traitements en cours/ }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'secretary-signed-in.png') });

    // Calling the API directly (what a tampered window could do) is refused by the core too.
    const draft = {
      weightKg: '',
      lines: [{ key: 'l1', medication: 'Amoxicilline 1 g, comprimé', posology: '1 comprimé matin et soir', route: 'voie orale', durationDays: '7', packs: '', renewals: '0', ald: false, instructions: '' }],
    };
    const prescribe = await app.host.session.dispatch('prescription.post', { patientId: patient.id, draft });
    expect(prescribe).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const panels = await app.host.session.dispatch('patient.panels', { patientId: patient.id });
    const pps = panels.ok ? (panels.value as { pps: { id: string; version: string } | null }).pps : null;
    expect(pps).not.toBeNull();
    const editPps = await app.host.session.dispatch('pps.update', {
      patientId: patient.id,
      ppsId: pps!.id,
      baseVersion: pps!.version,
      edit: { objectives: [], interventions: [], nextReview: null, preferences: ['Rester à domicile'] },
    });
    expect(editPps).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('signing out returns to the sign-in screen and closes the profile', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-screen').waitFor();
    expect(app.host.session.status().signedIn).toBe(false);
    const refused = await app.host.session.dispatch('patient.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});
