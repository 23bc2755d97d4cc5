/**
 * Posting while the platform is down (docs/outbox.md): the journal stays readable, the post is
 * accepted and shown « En attente d'envoi », and once the platform is back it is sent — exactly once.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'test-results');
const TEXT = 'Pansement du talon refait ce matin, plaie propre. Prochain passage IDE jeudi.';

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

async function onPlatform(clientId: string): Promise<{ id: string; text: string }[]> {
  const res = await fetch(`${app.sandboxUrl}/DocumentReference?identifier=${encodeURIComponent(`https://relais.example/fhir/NamingSystem/client-id|${clientId}`)}`);
  const bundle = (await res.json()) as { entry?: { resource: { id: string; content: { attachment: { data?: string } }[] } }[] };
  return (bundle.entry ?? []).map((e) => ({
    id: e.resource.id,
    text: Buffer.from(e.resource.content[0]?.attachment.data ?? '', 'base64').toString('utf8'),
  }));
}

describe('posting offline (web host, Chromium)', () => {
  it('queues a post while the platform is down and sends it exactly once when it is back', async () => {
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
    const journal = page.getByTestId('journal');
    await journal.getByTestId('journal-entry').first().waitFor();

    await app.stopSandbox();
    // The journal stays readable from the local store.
    expect(await journal.getByTestId('journal-entry').count()).toBeGreaterThan(3);

    await page.getByTestId('draft-text').fill(TEXT);
    await page.getByTestId('draft-text').press('Control+Enter');

    const item = page.getByTestId('outbox-item').first();
    await item.waitFor();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 10_000 }).toBe('queued');
    expect(await item.textContent()).toContain("En attente d'envoi");
    expect(await item.textContent()).toContain('Pansement du talon');
    // Shown in the journal at once, marked pending; the composer is empty again.
    const pending = journal.locator('[data-pending="true"]');
    await expect.poll(() => pending.first().textContent()).toContain(TEXT);
    expect(await pending.getByTestId('pending-marker').count()).toBe(1);
    expect(await page.getByTestId('draft-text').inputValue()).toBe('');
    await page.screenshot({ path: join(SHOTS, 'offline-queued.png') });

    const clientId = (await item.getAttribute('data-client-id'))!;
    await app.restartSandbox();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 60_000, interval: 250 }).toBe('sent');
    expect(await item.textContent()).toContain('Publié');

    const created = await onPlatform(clientId);
    expect(created).toHaveLength(1);
    expect(created[0]!.text).toBe(TEXT);
    // The platform's version replaced the pending one in the journal.
    const posted = journal.locator(`[data-entry-id="${created[0]!.id}"]`);
    await posted.waitFor();
    expect(await posted.textContent()).toContain(TEXT);
    expect(await journal.locator('[data-pending="true"]').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'posted.png') });
  });
});
