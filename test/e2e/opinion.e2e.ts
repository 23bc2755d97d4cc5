/**
 * Issue 13 item 2, « Demande d'avis »: the GP (the e2e fixture signs in the demo GP; a nurse
 * follows the same path, the permissions are the same) asks the wound-care referent of the
 * directory with two photos, measurements and the patient's consent; the request shows pending
 * then sent in « Avis demandés » and in the journal; the scripted referent
 * (sandbox/actors/opinion-referent.ts) answers; the recommendations show in the panel and the
 * journal, and the nurse of the care team gets the task the answer asks for (real sandbox, web
 * host, Debian's Chromium).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { answerOpinionRequests, WOUND_ACTION } from '../../sandbox/actors/opinion-referent';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from '../support/app-fixture';

const SHOTS = join(ROOT, 'docs', 'screens');

let app: AppFixture;
let browser: Browser;
let page: Page;
let patient: Patient;
let dir: string;

async function search<T>(query: string): Promise<T[]> {
  const res = await fetch(`${app.sandboxUrl}/${query}`);
  const bundle = (await res.json()) as { entry?: { resource: T }[] };
  return (bundle.entry ?? []).map((e) => e.resource);
}

/** A wound-like photo: a reddish ellipse on skin tone, big enough to be downscaled (3000 px). */
async function woundPhoto(file: string, hue: number): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="2000"><rect width="3000" height="2000" fill="rgb(230,190,160)"/><ellipse cx="1500" cy="1000" rx="600" ry="380" fill="rgb(${hue},60,60)"/><ellipse cx="1500" cy="1000" rx="300" ry="180" fill="rgb(200,${hue / 2},90)"/></svg>`;
  const path = join(dir, file);
  writeFileSync(path, await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).withMetadata({ exif: { IFD0: { Make: 'Phone', Model: 'Camera' } } }).toBuffer());
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relais-opinion-'));
  app = await startApp();
  ({ browser, page } = await openAppPage(app, { width: 1440, height: 1000 }));
  // A Landes patient with an INS (the care team has a home nurse).
  const landes = await search<{ id: string; identifier?: unknown[] }>('Patient?address-postalcode=40000&_count=50');
  const id = landes.find((p) => /^pat-\d+$/.test(p.id) && (p.identifier?.length ?? 0) > 0)!.id;
  patient = await app.platform.getPatient(id);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opinion request with photos (web host, Chromium)', () => {
  it('asks the wound referent with two photos; the answer shows in the panel and the journal, and the nurse gets a task', async () => {
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 15_000 }).toContain(patient.birthName);
    const panel = page.getByTestId('panel-opinion');
    await panel.waitFor();
    await page.getByTestId('opinion-open').click();
    const dialog = page.getByTestId('opinion-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // The directory's referent is the only one: chosen already.
    await expect.poll(() => dialog.getByTestId('opinion-referent').locator('option:checked').textContent(), { timeout: 15_000 }).toContain('Référent plaies et cicatrisation');

    // Nothing written, no consent: both named.
    await dialog.getByRole('button', { name: "Envoyer la demande d'avis" }).click();
    await expect.poll(() => dialog.locator('.form-error').count()).toBe(2);

    await dialog.getByLabel('Votre question').fill('Ulcère veineux de la jambe gauche depuis 6 semaines, pas d’amélioration sous tulle : quel pansement proposer ?');
    expect(await dialog.getByTestId('opinion-photos').getAttribute('accept')).toBe('image/jpeg,image/png,image/heic');
    await dialog.getByTestId('opinion-photos').setInputFiles([await woundPhoto('plaie-1.jpg', 170), await woundPhoto('plaie-2.jpg', 150)]);
    await expect.poll(() => dialog.getByTestId('opinion-photo-count').textContent()).toBe('2 photos choisies');
    await dialog.getByLabel('Longueur (cm)').fill('4');
    await dialog.getByLabel('Largeur (cm)').fill('2,5');
    await dialog.getByLabel(/Autres observations/).fill('berges macérées, exsudat modéré');
    await dialog.getByLabel(/Le patient est d’accord/).check();
    await page.screenshot({ path: join(SHOTS, 'opinion-request.png') });
    await dialog.getByRole('button', { name: "Envoyer la demande d'avis" }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 30_000 }).toBe(false);

    const item = panel.getByTestId('opinion-request').first();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('requested');
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 15_000 }).toContain("Demande d'avis à Référent plaies et cicatrisation");

    // On the platform: the request to the team, two photos (JPEG, ≤ 2048 px) and the team's Task.
    const [sr, ...others] = await search<{ id: string; performer: { reference: string }[]; supportingInfo: { reference: string }[] }>(
      `ServiceRequest?subject=Patient/${patient.id}&category=${encodeURIComponent('https://relais.example/fhir/CodeSystem/coordination-request|opinion')}`,
    );
    expect(others).toHaveLength(0);
    expect(sr!.performer[0]!.reference).toBe('HealthcareService/hs-plaies-landes');
    const photos = sr!.supportingInfo.filter((r) => r.reference.startsWith('Binary/'));
    expect(photos).toHaveLength(2);
    for (const p of photos) {
      const bin = (await (await fetch(`${app.sandboxUrl}/${p.reference}`, { headers: { Accept: 'application/fhir+json' } })).json()) as { contentType: string; data: string };
      expect(bin.contentType).toBe('image/jpeg');
      const meta = await sharp(Buffer.from(bin.data, 'base64')).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2048);
      expect(meta.exif).toBeUndefined();
    }

    // The referent answers; the GP's Relais syncs on reopening.
    expect(await answerOpinionRequests(app.sandboxUrl)).toBe(1);
    await app.host.composition.core.launch(contextOf(patient), 'e2e');
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('answered');
    const answer = item.getByTestId('opinion-answer');
    expect(await answer.textContent()).toContain('pansement hydrocellulaire');
    expect(await answer.textContent()).toContain(WOUND_ACTION);
    await expect.poll(() => page.getByTestId('journal').textContent(), { timeout: 20_000 }).toContain('Avis plaies et cicatrisation (Dr Camille ETCHEVERRY)');
    // The nurse's task, among the care team's tasks once the synthesis is refreshed.
    await page.getByRole('button', { name: 'Actualiser la synthèse du patient' }).click();
    await expect.poll(() => page.locator('[data-testid="task"]').allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringContaining('Avis plaies : Réfection du pansement')]));
    const tasks = await search<{ status: string; owner: { reference: string }; code: { coding: { code: string }[] } }>(`Task?based-on=ServiceRequest/${sr!.id}`);
    const nurseTask = tasks.find((t) => t.code.coding[0]!.code === 'opinion-action')!;
    expect(nurseTask.status).toBe('requested');
    const team = await search<{ participant: { role: { coding: { code: string }[] }[]; member: { reference: string } }[] }>(`CareTeam?subject=Patient/${patient.id}`);
    const nurse = team[0]!.participant.find((p) => p.role[0]!.coding[0]!.code === 'nurse')!.member.reference;
    expect(nurseTask.owner.reference).toBe(nurse);
    // Not the GP's own task: listed under the care team's other tasks, opened for the screenshot.
    await page.getByTestId('panel-tasks').locator('details.pps-more').evaluate((d) => d.setAttribute('open', ''));
    await item.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'opinion-answer.png') });

    // At 400 px wide: the « Avis » tab shows the panel.
    await page.setViewportSize({ width: 400, height: 900 });
    await page.getByTestId('view-panels').click();
    await page.getByTestId('panels').getByRole('tab', { name: 'Avis', exact: true }).click();
    await expect.poll(() => panel.isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'opinion-narrow.png') });
  });
});
