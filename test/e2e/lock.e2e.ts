import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { ROOT, contextOf, openAppPage, relaisCli, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app));
  patient = await app.platform.getPatient(BENCH_PATIENT_500.id);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('locking the session (demo identity, no card)', () => {
  it('hides patient data at once, keeps the draft, refuses a wrong code and unlocks with the right one', async () => {
    expect((await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(patient))])).status).toBe(0);
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
    await page.getByTestId('draft-text').fill('À relire après le verrouillage.');
    await page.getByTestId('lock-now').click();

    await page.locator('#signin-pin').waitFor();
    expect(await page.getByTestId('patient-name').count()).toBe(0);
    expect(await page.getByTestId('journal-entry').count()).toBe(0);
    expect(await page.content()).not.toContain(patient.birthName);
    const refused = await app.host.composition.dispatch('journal.page', { patientId: patient.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await page.screenshot({ path: join(SHOTS, 'locked.png') });

    await page.locator('#signin-pin').fill('0000');
    await page.locator('#signin-pin').press('Enter');
    await expect.poll(() => page.locator('.signin-error').textContent()).toMatch(/incorrect/);

    await page.locator('#signin-pin').fill('1234');
    await page.locator('#signin-pin').press('Enter');
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
    await expect.poll(() => page.getByTestId('draft-text').inputValue()).toBe('À relire après le verrouillage.');
    const trail = app.host.composition.store.auditTrail().map((a) => a.action);
    expect(trail).toEqual(expect.arrayContaining(['session.lock.manual', 'session.unlock']));
  });
});
