/**
 * Keyboard only (issue 12): at panel width (400 × 800), with page.keyboard and nothing else, the
 * GP opens a patient, searches the journal, posts a message, opens and closes the ordonnance,
 * reads the « Raccourcis » sheet and locks — and unlocks. The focus is never left on nothing.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { ROOT, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SCREENS = join(ROOT, 'docs', 'screens');
let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app, { width: 400, height: 800 }));
  const list = await app.host.composition.core.handlers['patient.list']({});
  patient = list.find((p) => p.id === 'pat-01')!;
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** What has the focus: a test id, an id or a tag — never the page body after an action. */
const focused = () =>
  page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return el.getAttribute('data-testid') || el.id || el.tagName.toLowerCase();
  })()`) as Promise<string>;

describe('keyboard only, at panel width', () => {
  it('opens a patient, searches, posts, opens and closes the ordonnance, shows the shortcuts, locks and unlocks', async () => {
    await page.getByTestId('patient-list').waitFor();
    await page.locator('.professional-name').waitFor();

    // Alt+P: the patient search; type the name, Enter opens the first match.
    await page.keyboard.press('Alt+P');
    await expect.poll(() => page.evaluate(`document.activeElement?.className`)).toContain('search-input');
    await page.keyboard.type(`${patient.birthName} ${patient.firstNames[0]}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 20_000 }).toContain(patient.birthName.toLocaleUpperCase('fr-FR'));
    await page.getByTestId('journal-entry').first().waitFor();
    await expect.poll(focused).toBe('journal');

    // « / »: search the journal.
    await page.keyboard.press('/');
    await expect.poll(focused).toBe('journal-search');
    await page.keyboard.type('apixaban');
    await expect.poll(() => page.getByTestId('filter-results').textContent(), { timeout: 10_000 }).toMatch(/\d+ résultat/);
    const found = await page.getByTestId('journal-entry').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    for (const text of found) expect(text.toLowerCase()).toContain('apixaban');
    // « Filtrer » opens the other filters from the keyboard too.
    await page.keyboard.press('Tab');
    await expect.poll(focused).toBe('filters-toggle');
    await page.keyboard.press('Enter');
    await page.getByTestId('filter-kind').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('filter-kind').isVisible()).toBe(false);
    // Back to the whole journal: clear the search box.
    await page.keyboard.press('/');
    // The focus moves on the next frame: select only once the search box has it.
    await expect.poll(focused).toBe('journal-search');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.getByTestId('filter-results').count(), { timeout: 10_000 }).toBe(0);

    // Alt+N: write; « / » typed in the message stays text; Ctrl+Entrée publishes.
    await page.keyboard.press('Alt+N');
    await expect.poll(focused).toBe('draft-text');
    expect(await page.getByTestId('composer').getAttribute('data-expanded')).toBe('true');
    const text = `Vu ce jour, TA 13/8, poursuite du traitement ${Date.now()}`;
    await page.keyboard.type(text);
    expect(await page.getByTestId('draft-text').inputValue()).toBe(text);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('draft-text').inputValue()).toBe('');
    await expect.poll(() => page.getByTestId('journal-entry').first().textContent(), { timeout: 15_000 }).toContain(text);
    expect(await focused()).not.toBe('body');

    // Alt+O: the ordonnance, a full-height sheet; Escape closes it and the focus comes back.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+O');
    const rx = page.getByTestId('prescription-dialog');
    await rx.getByTestId('prescription-line').first().waitFor();
    expect(await page.evaluate(`document.querySelector('[data-testid="prescription-dialog"]').contains(document.activeElement)`)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => rx.isVisible()).toBe(false);
    await expect.poll(focused).not.toBe('body');

    // F1: the « Raccourcis » sheet lists the shortcuts; Escape closes it.
    await page.keyboard.press('F1');
    const sheet = page.getByTestId('shortcuts-sheet');
    await sheet.waitFor();
    expect(await sheet.locator('tbody tr').count()).toBeGreaterThanOrEqual(8);
    expect(await sheet.textContent()).toContain('Verrouiller Relais');
    await page.screenshot({ path: join(SCREENS, 'shortcuts-400.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.isVisible()).toBe(false);

    // Alt+L: locked, patient data gone; the PIN from the keyboard unlocks.
    await page.keyboard.press('Alt+L');
    await page.locator('#signin-pin').waitFor();
    expect(await page.getByTestId('patient-name').count()).toBe(0);
    await expect.poll(focused).toBe('signin-pin');
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName.toLocaleUpperCase('fr-FR'));
  }, 400_000);
});
