/**
 * Issue 11, item 1: another professional attaches an HTML file (with a script) to a journal
 * entry. In Chromium the window offers it as a download only, never renders it, and its script
 * never runs; /media answers it as an opaque, sandboxed download.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { buildLaunchUrl } from '../../main/launch/url';
import { BENCH_PATIENT_500, DEMO_GP_ID } from '../../sandbox/seed/index';
import { ROOT, contextOf, relaisCli, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
// Whatever origin it ran in, it would leave a mark the test can see.
const HOSTILE = `<!doctype html><title>CR</title><script>
try { window.top.hostileRan = true } catch (e) {}
try { localStorage.setItem('hostile-ran', '1') } catch (e) {}
try { parent.document.title = 'PIRATÉ' } catch (e) {}
</script><p>Compte rendu</p>`;

let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;

async function marks(p: Page): Promise<unknown> {
  // Evaluated in the page (DOM types are not in this project): its window, storage and title.
  return p.evaluate(() => {
    const w = globalThis as unknown as { hostileRan?: boolean; localStorage: { getItem(k: string): string | null }; document: { title: string } };
    return { ran: w.hostileRan ?? false, stored: w.localStorage.getItem('hostile-ran'), title: w.document.title };
  });
}

beforeAll(async () => {
  app = await startApp();
  ({ browser, page } = await openAppPage(app));
  patient = await app.platform.getPatient(BENCH_PATIENT_500.id);
  const data = new TextEncoder().encode(HOSTILE);
  const html = await app.platform.createBinary({ clientId: randomUUID(), contentType: 'text/html', data });
  const lying = await app.platform.createBinary({ clientId: randomUUID(), contentType: 'image/png', data });
  await app.platform.createJournalEntry({
    clientId: randomUUID(),
    patientId: patient.id,
    authorId: DEMO_GP_ID,
    kind: 'document',
    text: 'Compte rendu piégé',
    date: new Date().toISOString(),
    attachments: [
      { contentType: 'text/html', title: 'compte-rendu.html', url: html.url, size: data.byteLength },
      { contentType: 'image/png', title: 'fausse-image.png', url: lying.url, size: data.byteLength },
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('a hostile HTML attachment in Chromium (web host)', () => {
  it('is offered as a download with a French reason, never rendered, and its script never runs', async () => {
    const cli = await relaisCli(app.dataDir, ['launch', buildLaunchUrl(contextOf(patient))]);
    expect(cli.status).toBe(0);
    const entry = page.getByTestId('journal-entry').filter({ hasText: 'Compte rendu piégé' });
    await entry.waitFor();
    const html = entry.getByTestId('attachment-download-only').filter({ hasText: 'compte-rendu.html' });
    await html.waitFor();
    await expect.poll(() => html.textContent()).toContain('ne s’affiche pas dans Relais');
    // The lying « image » fails to load as one (the host serves octet-stream) and falls back too.
    const lying = entry.getByTestId('attachment-download-only').filter({ hasText: 'fausse-image.png' });
    await lying.waitFor();
    await expect.poll(() => lying.textContent()).toContain('pas une image valide');
    expect(await page.locator('iframe, object, embed').count()).toBe(0);
    await entry.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hostile-attachment.png') });

    const href = (await html.getByRole('link', { name: /Télécharger/ }).getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/media\?src=/);
    expect(href).not.toContain('token');
    const [download] = await Promise.all([page.waitForEvent('download'), html.getByRole('link', { name: /Télécharger/ }).click()]);
    expect(download.suggestedFilename()).toBe('compte-rendu.html');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(HOSTILE);
    await page.waitForTimeout(500); // a script, had it run, would have set its marks by now
    expect(await marks(page)).toEqual({ ran: false, stored: null, title: expect.not.stringContaining('PIRATÉ') });
  });

  it('/media answers it as a sandboxed, nosniff, opaque download', async () => {
    const href = (await page.getByTestId('attachment-download-only').filter({ hasText: 'compte-rendu.html' }).getByRole('link').getAttribute('href')) ?? '';
    const headers = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), csp: res.headers.get('content-security-policy'), nosniff: res.headers.get('x-content-type-options'), disposition: res.headers.get('content-disposition') };
    }, href);
    expect(headers).toEqual({ status: 200, type: 'application/octet-stream', csp: "sandbox; default-src 'none'", nosniff: 'nosniff', disposition: 'attachment' });
  });

  it('opened directly in a tab (not a request of the page: Sec-Fetch-Site none), it is refused and runs nothing', async () => {
    const href = (await page.getByTestId('attachment-download-only').filter({ hasText: 'compte-rendu.html' }).getByRole('link').getAttribute('href')) ?? '';
    const tab = await page.context().newPage();
    const url = new URL(href, app.host.web.origin).href;
    const answered = tab.waitForResponse((r) => r.url() === url);
    // Chromium shows its own error page for the empty 403 (net::ERR_HTTP_RESPONSE_CODE_FAILURE).
    await tab.goto(url).catch(() => undefined);
    expect((await answered).status()).toBe(403);
    expect(await marks(page)).toEqual({ ran: false, stored: null, title: expect.not.stringContaining('PIRATÉ') });
    await tab.close();
  });
});
