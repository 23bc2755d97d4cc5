import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { ROOT, contextOf, relaisCli, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
let app: AppFixture;
let browser: Browser;
let page: Page;
let first: Patient;
let second: Patient;

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app));
  const list = await app.host.composition.core.handlers['patient.list']({});
  first = list.find((p) => p.id === BENCH_PATIENT_500.id)!;
  second = list.find((p) => p.ins !== null && p.id !== BENCH_PATIENT_500.id && p.id !== BENCH_PATIENT_10K.id)!;
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function shows(patient: Patient): Promise<void> {
  await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
  await page.getByTestId('journal-entry').first().waitFor();
}

describe('in-context launch from the practice software (web host, Chromium)', () => {
  it('switches between two patients launched in a row, keeping the draft typed for the first', async () => {
    expect((await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(first))])).status).toBe(0);
    await shows(first);
    const draft = page.getByTestId('draft-text');
    await draft.fill('Pansement à refaire jeudi ; prévenir Sophie (IDE).');
    await expect.poll(() => page.getByTestId('draft-status').textContent()).toMatch(/Brouillon enregistré/);

    expect((await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(second))])).status).toBe(0);
    await shows(second);
    await expect.poll(() => draft.inputValue()).toBe('');

    expect((await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(first))])).status).toBe(0);
    await shows(first);
    await expect.poll(() => draft.inputValue()).toBe('Pansement à refaire jeudi ; prévenir Sophie (IDE).');
    await expect.poll(() => page.getByTestId('draft-status').textContent()).toMatch(/Brouillon conservé/);
    await page.screenshot({ path: join(SHOTS, 'launch-draft-restored.png') });
  });

  it('holds a launch whose traits differ, shows both side by side, and records the confirmation', async () => {
    const discordant = { ...contextOf(second), birthName: `${second.birthName}-MARTIN` };
    const cli = await relaisCli(app.dataDir, ['launch', buildLaunchUrl(discordant)]);
    expect(cli.status).toBe(3);
    expect(cli.stderr).toMatch(/traits d'identité/);

    const dialog = page.getByTestId('identity-confirmation');
    await dialog.waitFor();
    expect(await dialog.locator('tr.is-different').getAttribute('data-field')).toBe('birthName');
    expect(await dialog.locator('tr.is-different').textContent()).toContain(`${second.birthName}-MARTIN`);
    await page.screenshot({ path: join(SHOTS, 'identity-confirmation.png') });
    // Nothing opened while the professional has not decided.
    expect(await page.getByTestId('patient-name').textContent()).toContain(first.birthName);

    await dialog.getByTestId('identity-confirm').click();
    await shows(second);
    const trail = app.host.composition.store.auditTrail();
    expect(trail.map((a) => a.action)).toEqual(expect.arrayContaining(['identity.discrepancy', 'identity.confirmed']));
    // The last confirmation is this one (reads of the panels opened may be audited after it).
    expect(trail.filter((a) => a.action === 'identity.confirmed').at(-1)).toMatchObject({ patientId: second.id });
  });

  it('without an INS, shows the candidates and opens only the one the GP picks', async () => {
    const { ins: _none, ...noIns } = contextOf(first);
    const cli = await relaisCli(app.dataDir, ['launch', buildLaunchUrl(noIns)]);
    expect(cli.status).toBe(3);
    const dialog = page.getByTestId('patient-choice');
    await dialog.waitFor();
    const rows = dialog.getByTestId('patient-candidate');
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, 'patient-choice.png') });
    await dialog.locator(`[data-patient-id="${first.id}"] button`).click();
    await shows(first);
    expect(app.host.composition.store.auditTrail().filter((a) => a.action === 'identity.selected').at(-1)).toMatchObject({ patientId: first.id });
  });

  it('explains an unknown INS OID and a wrong key in the window', async () => {
    const unknownOid = buildLaunchUrl(contextOf(first)).replace('1.2.250.1.213.1.4.10', '1.2.250.1.213.1.4.99');
    const r = await relaisCli(app.dataDir, ['launch', unknownOid]);
    expect(r.status).toBe(2);
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toMatch(/type d'INS transmis/);
    await expect.poll(() => page.getByTestId('error-banner').getAttribute('data-code')).toBe('INS_OID_UNKNOWN');
  });
});
