import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { ROOT, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
let app: AppFixture;
let browser: Browser;
let page: Page;
let first: Patient;
let second: Patient;

/** What a practice software does: write the whole file beside, then rename it over the old one. */
function lgcShows(p: Patient, format: 'json' | 'ini'): void {
  const path = app.contextFilePath!;
  const body =
    format === 'json'
      ? JSON.stringify({
          ins: p.ins!.value,
          oid: p.ins!.oid,
          birthName: p.birthName,
          firstNames: p.firstNames,
          birthDate: p.birthDate,
          sex: p.sex,
        })
      : `[patient]\r\nins=${p.ins!.value}\r\noid=${p.ins!.oid}\r\nbirth_name=${p.birthName}\r\nfirst_names=${p.firstNames.join(',')}\r\nbirth_date=${p.birthDate}\r\nsex=${p.sex}\r\n`;
  writeFileSync(`${path}.tmp`, body);
  renameSync(`${path}.tmp`, path);
}

async function shows(p: Patient): Promise<void> {
  await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(p.birthName);
  await page.getByTestId('journal-entry').first().waitFor();
}

beforeAll(async () => {
  app = await startApp({ contextFile: true });
  ({ browser, page } = await openAppPage(app));
  const list = await app.host.composition.core.handlers['patient.list']({});
  first = list.find((p) => p.id === BENCH_PATIENT_500.id)!;
  second = [...list].reverse().find((p) => p.ins !== null && p.id !== BENCH_PATIENT_500.id && p.id !== BENCH_PATIENT_10K.id)!;
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('following the practice software through its context file', () => {
  it('switches as the practice software changes patient (JSON then INI), keeping the first patient’s draft', async () => {
    lgcShows(first, 'json');
    await shows(first);
    await page.getByTestId('draft-text').fill('Demander le bilan biologique à l’IDE.');
    await expect.poll(() => page.getByTestId('draft-status').textContent()).toMatch(/Brouillon enregistré/);

    lgcShows(second, 'ini');
    await shows(second);
    expect(await page.getByTestId('draft-text').inputValue()).toBe('');

    lgcShows(first, 'ini');
    await shows(first);
    await expect.poll(() => page.getByTestId('draft-text').inputValue()).toBe('Demander le bilan biologique à l’IDE.');
    const opens = app.host.composition.store.auditTrail().filter((a) => a.action === 'patient.open' && a.detail === 'context-file');
    expect(opens.length).toBeGreaterThanOrEqual(3);
  });

  it('with "follow" off, offers the practice software’s patient instead of switching', async () => {
    await page.getByTestId('follow-lgc').uncheck();
    await expect.poll(() => app.host.composition.core.followLgc).toBe(false);
    lgcShows(second, 'json');
    await page.getByTestId('lgc-offer').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('lgc-offer').textContent()).toContain(second.birthName);
    expect(await page.getByTestId('patient-name').textContent()).toContain(first.birthName);
    await page.screenshot({ path: join(SHOTS, 'lgc-offer.png') });
    await page.getByTestId('lgc-offer-open').click();
    await shows(second);
  });
});
