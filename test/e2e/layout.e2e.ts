/**
 * The companion window at three widths (issue 12): a patient opened through `relais launch` at
 * 400 × 800 (side panel beside the practice software), 800 × 800 and 1366 × 768. Nothing scrolls
 * sideways, the banner's birth name and INS are in view and not covered, the newest journal entry
 * is visible without scrolling, each entry's head takes two lines at most, axe finds no serious
 * violation (journal, panels, identity confirmation, ordonnance, lock). Saves the screens of docs/ui.md
 * (docs/screens/): journal, identity confirmation, ordonnance, lock, sign-in at each width.
 */
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { testPki } from '../fixtures/pki/pki';
import { launchChromium } from '../support/chromium';
import { ROOT, contextOf, relaisCli, startApp, type AppFixture } from '../support/app-fixture';
import { WIDTHS, horizontalOverflow, visibleAndUncovered } from '../support/layout-checks';

const SCREENS = join(ROOT, 'docs', 'screens');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function pageAt(app: AppFixture, w: (typeof WIDTHS)[number]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: w.width, height: w.height }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  await page.goto(app.host.web.url);
  return page;
}

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const o = await horizontalOverflow(page);
  expect(o.page.scrollWidth, `${where}: page scrollWidth`).toBeLessThanOrEqual(o.page.innerWidth);
  expect(o.elements, `${where}: elements scrolling sideways`).toEqual([]);
}

async function expectAxeClean(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${where} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

describe('the patient window at 400, 800 and 1366 px (demo identity, web host, Chromium)', () => {
  let app: AppFixture;
  let patient: Patient;

  beforeAll(async () => {
    app = await startApp();
    const list = await app.host.composition.core.handlers['patient.list']({});
    patient = list.find((p) => p.id === 'pat-01')!;
    expect(patient?.ins).toBeTruthy();
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const w of WIDTHS) {
    it(`at ${w.width} × ${w.height}: fits, banner readable, newest entry in view; journal, confirmation, ordonnance and lock screens`, async () => {
      const page = await pageAt(app, w);
      try {
        // The first window starts empty (the list is the page); the next ones get the open patient replayed.
        await page.getByTestId('patient-list').waitFor({ state: 'attached' });
        await page.locator('.professional-name').waitFor();
        await expectNoSidewaysScroll(page, `${w.name} start`);
        if (w === WIDTHS[0]) await page.screenshot({ path: join(SCREENS, `no-patient-${w.name}.png`) });

        expect((await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(patient))])).status).toBe(0);
        await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 20_000 }).toContain(patient.birthName.toLocaleUpperCase('fr-FR'));
        await page.getByTestId('journal-entry').first().waitFor();
        await expect.poll(() => page.getByTestId('journal').getAttribute('data-loading')).toBe('false');
        await page.waitForTimeout(300); // the virtual list measures its rows

        await page.screenshot({ path: join(SCREENS, `journal-${w.name}.png`) });
        await expectNoSidewaysScroll(page, `${w.name} journal`);
        for (const sel of ['[data-testid="identity-banner"] .birth-name', '[data-testid="identity-banner"] [data-testid="patient-ins"]']) {
          const seen = await visibleAndUncovered(page, sel);
          expect(seen, `${w.name} ${sel}`).toMatchObject({ inViewport: true, uncovered: true });
        }
        // Two lines at most at panel width: the banner stays small.
        const bannerHeight = await page.getByTestId('identity-banner').evaluate((el) => el.getBoundingClientRect().height);
        if (w.width < 600) expect(bannerHeight).toBeLessThanOrEqual(64);
        // The newest entry is on screen without scrolling: its head at least, and nothing over it.
        const newest = await visibleAndUncovered(page, '[data-testid="journal-entry"] .entry-head');
        expect(newest, `${w.name} newest entry`).toMatchObject({ inViewport: true, uncovered: true });
        expect(await page.getByTestId('journal').evaluate((el) => el.scrollTop)).toBe(0);
        // Each entry's head: two lines at most (what and when / who and « Épingler »), the author's role and the date shown whole.
        const heads = await page.locator('[data-testid="journal-entry"] .entry-head').evaluateAll((els) =>
          els.map((head) => {
            // Line boxes of the head's text (a wrapped label counts twice): tops more than 8 px apart
            // (fragments of one line differ by a pixel or two: font sizes, baseline).
            const range = head.ownerDocument.createRange();
            range.selectNodeContents(head);
            const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top).sort((a, b) => a - b);
            const rows = tops.filter((t, i) => i === 0 || t - tops[i - 1]! > 8);
            const whole = (sel: string) => {
              const el = head.querySelector(sel);
              return el !== null && el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().width > 0;
            };
            return { rows: rows.length, role: whole('.entry-author-role'), time: whole('.entry-time') };
          }),
        );
        expect(heads.length).toBeGreaterThan(0);
        for (const h of heads) expect(h, `${w.name} entry head`).toEqual({ rows: expect.any(Number), role: true, time: true });
        expect(Math.max(...heads.map((h) => h.rows)), `${w.name} entry head lines`).toBeLessThanOrEqual(2);
        await expectAxeClean(page, `${w.name} journal`);

        if (w.width < 600) {
          // Panels are a tab under the banner; the patient list a drawer.
          await page.getByTestId('view-panels').click();
          await page.getByTestId('panels').getByRole('tablist').waitFor();
          await expectNoSidewaysScroll(page, `${w.name} panels`);
          expect(await visibleAndUncovered(page, '[data-testid="identity-banner"] .birth-name')).toMatchObject({ inViewport: true, uncovered: true });
          await expectAxeClean(page, `${w.name} panels`);
          await page.screenshot({ path: join(SCREENS, `panels-${w.name}.png`) });
          await page.getByRole('tab', { name: 'Journal' }).click();
          await page.getByTestId('drawer-toggle').click();
          await page.getByTestId('patient-list').waitFor();
          await expectNoSidewaysScroll(page, `${w.name} drawer`);
          // The drawer opens on the patient in the banner: highlighted, and scrolled to.
          const highlighted = '[data-testid="patient-list"] [role="option"][aria-selected="true"]';
          expect(await page.locator(highlighted).getAttribute('data-patient-id')).toBe(patient.id);
          await expect.poll(async () => (await visibleAndUncovered(page, highlighted)).inViewport).toBe(true);
          await page.screenshot({ path: join(SCREENS, `patients-drawer-${w.name}.png`) });
          await page.keyboard.press('Escape');
          await expect.poll(() => page.locator('.layout--drawer-open').count()).toBe(0);
        }

        // The identity confirmation of a launch whose traits differ.
        const discordant = { ...contextOf(patient), birthName: `${patient.birthName}-MARTIN` };
        expect((await relaisCli(app.dataDir, ['launch', buildLaunchUrl(discordant)])).status).toBe(3);
        const check = page.getByTestId('identity-confirmation');
        await check.waitFor();
        await expectNoSidewaysScroll(page, `${w.name} identity confirmation`);
        await expectAxeClean(page, `${w.name} identity confirmation`);
        const checkBox = await check.boundingBox();
        expect(checkBox!.x).toBeGreaterThanOrEqual(0);
        expect(checkBox!.x + checkBox!.width).toBeLessThanOrEqual(w.width);
        await page.screenshot({ path: join(SCREENS, `identity-confirmation-${w.name}.png`) });
        await check.getByRole('button', { name: /Ne pas ouvrir|Annuler|Refuser/ }).first().click();
        await expect.poll(() => check.isVisible()).toBe(false);
        // A declined launch leaves the chart greyed until the GP chooses to stay on it (issue 15).
        const hold = page.getByTestId('chart-hold');
        if (await hold.count()) await hold.getByRole('button', { name: 'Continuer sur ce dossier' }).click();
        await expect.poll(() => hold.count()).toBe(0);

        // The ordonnance: a full-height sheet at panel width.
        await page.getByTestId('prescription-open').click();
        const rx = page.getByTestId('prescription-dialog');
        await rx.getByTestId('prescription-line').first().waitFor();
        // Beside the lines, the allergies the platform has (the clinical header's), not « unknown ».
        const clinical = await app.host.composition.core.handlers['patient.clinicalSummary']({ patientId: patient.id });
        expect(clinical.allergies?.length).toBeGreaterThan(0);
        const rxAllergies = rx.getByTestId('prescription-allergies');
        for (const a of clinical.allergies!) await expect.poll(() => rxAllergies.textContent(), { timeout: 10_000 }).toContain(a.substance);
        const rxBox = (await rx.boundingBox())!;
        expect(rxBox.x + rxBox.width).toBeLessThanOrEqual(w.width);
        if (w.width < 600) {
          expect(rxBox.width).toBe(w.width);
          expect(rxBox.height).toBe(w.height);
        }
        await expectNoSidewaysScroll(page, `${w.name} ordonnance`);
        await expectAxeClean(page, `${w.name} ordonnance`);
        await page.screenshot({ path: join(SCREENS, `ordonnance-${w.name}.png`) });
        await page.keyboard.press('Escape');
        await expect.poll(() => rx.isVisible()).toBe(false);

        // The lock screen.
        await page.getByTestId('lock-now').click();
        await page.locator('#signin-pin').waitFor();
        await expectNoSidewaysScroll(page, `${w.name} lock`);
        await expectAxeClean(page, `${w.name} lock`);
        await page.screenshot({ path: join(SCREENS, `lock-${w.name}.png`) });
        await page.locator('#signin-pin').fill('1234');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName.toLocaleUpperCase('fr-FR'));
      } finally {
        await page.context().close();
      }
    }, 400_000);
  }
});

describe('the sign-in screen at 400, 800 and 1366 px (card reader, no demo identity)', () => {
  let app: AppFixture;
  beforeAll(async () => {
    const pki = testPki();
    app = await startApp({ card: new FakeCardReader({ label: 'CPS DUFAU', serial: 'GP-0001', certificatePem: pki.gp.certificatePem, privateKeyPem: pki.gp.privateKeyPem, pin: '1234' }) });
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const w of WIDTHS) {
    it(`at ${w.width} × ${w.height}`, async () => {
      const page = await pageAt(app, w);
      try {
        await page.getByTestId('sign-in-screen').waitFor();
        await expect.poll(() => page.getByTestId('card-holder').textContent()).toContain('DUFAU');
        await expectNoSidewaysScroll(page, `${w.name} sign-in`);
        await expectAxeClean(page, `${w.name} sign-in`);
        await page.screenshot({ path: join(SCREENS, `sign-in-${w.name}.png`) });
      } finally {
        await page.context().close();
      }
    });
  }
});
