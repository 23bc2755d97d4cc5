/**
 * Issue 17 acceptance: through the simulated WAN (20 ms each way, 20 Mbit/s), the 10,000-entry
 * patient never opened on this computer paints its newest entries before the back-fill of the
 * older ones ends; the back-fill indicator shows, then goes; scrolling reaches the oldest entry.
 * Order of events is recorded in the page (no timing assertion).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry, Patient } from '../../contract';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { runWebHost, type RunningWebHost } from '../../main/web/run-web-host';
import { BENCH_PATIENT_10K, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { contextOf, ROOT } from '../support/app-fixture';
import { launchChromium } from '../support/chromium';
import { startWanProxy, type WanProxy } from '../support/wan-proxy';

let sandbox: Sandbox;
let wan: WanProxy;
let host: RunningWebHost;
let browser: Browser;
let page: Page;
let dataDir: string;
let patient: Patient;
let newest: JournalEntry;
let oldest: JournalEntry;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  wan = await startWanProxy({ targetPort: sandbox.port, delayMs: 20, bitsPerSecond: 20_000_000 });
  dataDir = mkdtempSync(join(tmpdir(), 'relais-e2e-wan-'));
  // No background sync: it would fetch the 10,000 entries at start and the open would be cached.
  host = await runWebHost({ platformUrl: wan.url(sandbox.url), dataDir, rpps: DEMO_GP_RPPS, demo: true, port: 0, backgroundSync: false });
  const direct = createFhirPlatform({ baseUrl: sandbox.url });
  patient = await direct.getPatient(BENCH_PATIENT_10K.id);
  const all: JournalEntry[] = [];
  for await (const batch of direct.fetchJournal(patient.id, { pageSize: 500 })) all.push(...batch.entries);
  expect(all.length).toBe(10_000);
  newest = all[0]!;
  oldest = all[all.length - 1]!;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await context.newPage();
  await page.goto(host.web.url);
  await page.getByTestId('patient-list').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await wan?.close();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('progressive open through a 40 ms RTT, 20 Mbit/s line', () => {
  it('paints the newest entries before the back-fill ends, shows then removes the indicator', async () => {
    // Watch the DOM from now on: when the newest entry appears, when the indicator shows and goes.
    await page.evaluate(`(() => {
      const log = { entryAt: null, backfillShownAt: null, backfillGoneAt: null };
      window.__wan = log;
      const check = () => {
        const t = performance.now();
        const entry = document.querySelector('[data-testid="journal-entry"][data-entry-id="${newest.id}"]');
        const bar = document.querySelector('[data-testid="journal-backfill"]');
        if (entry && log.entryAt === null) log.entryAt = t;
        if (bar && log.backfillShownAt === null) log.backfillShownAt = t;
        if (!bar && log.backfillShownAt !== null && log.backfillGoneAt === null) log.backfillGoneAt = t;
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    void host.composition.core.launch(contextOf(patient), 'e2e');

    const journal = page.getByTestId('journal');
    await journal.locator(`[data-entry-id="${newest.id}"]`).waitFor({ timeout: 60_000 });
    if ((await page.getByTestId('journal-backfill').count()) > 0) {
      await page.screenshot({ path: join(ROOT, 'docs', 'screens', 'journal-backfill.png') });
    }
    await expect.poll(() => page.evaluate('window.__wan.backfillGoneAt !== null'), { timeout: 90_000 }).toBe(true);
    const log = (await page.evaluate('window.__wan')) as { entryAt: number; backfillShownAt: number; backfillGoneAt: number };
    expect(log.entryAt).not.toBeNull();
    expect(log.backfillShownAt).not.toBeNull();
    expect(log.entryAt).toBeLessThan(log.backfillGoneAt);
    expect(log.backfillShownAt).toBeLessThan(log.backfillGoneAt);
    expect(host.composition.store.countEntries(patient.id)).toBe(10_000);
    // Keep-alive: the whole open (list, INS, pages, panels) went over a handful of connections.
    expect(wan.connections).toBeLessThan(20);
  });

  it('scrolls to the oldest entry', async () => {
    const journal = page.getByTestId('journal');
    for (let i = 0; i < 400; i++) {
      if ((await page.locator(`[data-entry-id="${oldest.id}"]`).count()) > 0) break;
      await journal.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.waitForTimeout(50);
    }
    await page.locator(`[data-entry-id="${oldest.id}"]`).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.journal-end').count()).toBe(1);
    await page.screenshot({ path: join(ROOT, 'test-results', 'wan-oldest-entry.png') });
  });
});
