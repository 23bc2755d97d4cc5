import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry, Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { ROOT, contextOf, relaisCli, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');

let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;
let newest: JournalEntry[];

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app));
  patient = await app.platform.getPatient(BENCH_PATIENT_500.id);
  const first = app.platform.fetchJournal(patient.id, { pageSize: 5 })[Symbol.asyncIterator]();
  newest = ((await first.next()).value?.entries ?? []) as JournalEntry[];
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('journal read path in Chromium (web host)', () => {
  it('shows the patient list of the demo GP', async () => {
    await page.getByTestId('patient-list').waitFor();
    await expect.poll(() => page.getByTestId('patient-list').locator('li, [role="option"]').count()).toBeGreaterThanOrEqual(20);
    await page.screenshot({ path: join(SHOTS, 'patient-list.png') });
  });

  it('a launch through the CLI opens the patient: name, INS and newest entries on screen', async () => {
    const cli = await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(patient))]);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);

    const banner = page.getByTestId('identity-banner');
    await expect.poll(() => banner.getByTestId('patient-name').textContent()).toContain(patient.birthName);
    const ins = (await banner.getByTestId('patient-ins').textContent()) ?? '';
    expect(ins.replace(/\s/g, '')).toContain(patient.ins?.value);
    // The list's highlighted row is the patient in the banner, not the first of the list.
    const highlighted = page.getByTestId('patient-list').locator('[role="option"][aria-selected="true"]');
    await expect.poll(() => highlighted.getAttribute('data-patient-id')).toBe(patient.id);

    const journal = page.getByTestId('journal');
    await journal.getByTestId('journal-entry').first().waitFor();
    const shown = (await journal.getByTestId('journal-entry').allTextContents()).join('\n');
    expect(newest.length).toBeGreaterThan(2);
    for (const entry of newest.slice(0, 3)) {
      const excerpt = entry.text.split('\n')[0]?.slice(0, 40) ?? '';
      expect(shown).toContain(excerpt);
    }
    await page.screenshot({ path: join(SHOTS, 'journal.png') });
  });

  it('has no serious or critical accessibility violation on the journal screen', async () => {
    const results = await new AxeBuilder({ page }).analyze();
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });

  it('explains an invalid launch in French, in the window and on the command line, and keeps the patient on screen', async () => {
    const bad = buildLaunchUrl(contextOf(patient)).replace(/ins=(\d{13})(\d{2})/, (_m, body: string, key: string) => `ins=${body}${String((Number(key) + 1) % 100).padStart(2, '0')}`);
    const cli = await relaisCli(app.dataDir, ['launch', bad]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/clé de l'INS/);

    const alert = page.getByTestId('error-banner');
    await expect.poll(() => alert.textContent()).toMatch(/clé de l'INS/);
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
    await page.screenshot({ path: join(SHOTS, 'launch-error.png') });
    // The refused launch greys the chart until the GP chooses to stay on it (issue 15).
    const hold = page.getByTestId('chart-hold');
    await hold.waitFor();
    await hold.getByRole('button', { name: 'Continuer sur ce dossier' }).click();
    await expect.poll(() => hold.count()).toBe(0);
  });

  it('searches the journal (accents ignored), filters by kind and pins an entry', async () => {
    const word = newest[0]!.text.split(/[^\p{L}]+/u).find((w) => w.length >= 6)!;
    const search = page.getByTestId('journal-search');
    await search.fill(word.slice(0, 5).normalize('NFD').replace(/\p{Diacritic}/gu, ''));
    await expect.poll(() => page.getByTestId('filter-results').textContent()).toMatch(/\d+ résultat/);
    const texts = await page.getByTestId('journal-entry').allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(t.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase()).toContain(word.slice(0, 5).normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase());
    await page.screenshot({ path: join(SHOTS, 'journal-search.png') });
    await search.fill('');
    // The filters other than the search sit behind « Filtrer » (issue 15, compact journal head).
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('filter-kind').selectOption('alert');
    await expect.poll(async () => new Set(await page.getByTestId('journal-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).size).toBe(1);
    expect(await page.getByTestId('journal-entry').first().getAttribute('data-kind')).toBe('alert');
    await page.getByTestId('journal-entry').first().getByTestId('pin-button').click();
    await expect.poll(() => page.getByTestId('filter-pinned').textContent()).toMatch(/Épinglés \(1\)/);
    await page.getByTestId('filter-kind').selectOption('photo');
    await expect.poll(() => page.getByTestId('journal-entry').first().getAttribute('data-kind')).toBe('photo');
    await page.getByTestId('journal-entry').first().locator('button.thumb').click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Agrandir', exact: true }).click();
    await expect.poll(() => page.getByTestId('zoom-level').textContent()).toBe('150 %');
    expect(await page.locator('dialog[open] img.viewer-image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'photo-viewer.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('filter-kind').selectOption('');
  });

  // Last: it stops the platform.
  it('with the platform down, journals stay readable from the store with an offline banner', async () => {
    await app.host.composition.core.background.runOnce();
    await app.stopSandbox();
    const other = page.getByTestId('patient-list').getByText('BERNARD', { exact: false }).first();
    await other.click();
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain('BERNARD');
    await page.getByTestId('journal-entry').first().waitFor();
    await expect.poll(() => page.getByTestId('offline-banner').textContent(), { timeout: 15_000 }).toMatch(/Hors ligne — données du/);
    await page.screenshot({ path: join(SHOTS, 'offline.png') });
  });
});
