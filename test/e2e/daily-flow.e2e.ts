/**
 * Issue 15, items 4–6 in Chromium against the sandbox: « À traiter » lists an answer to the GP's
 * message, an alert and an overdue task across three patients; the answer opens its patient and
 * quotes the message it answers; a voice note shows its length; « Créer une tâche » on the
 * message writes a FHIR Task (focus = the message) that appears in « Mes tâches »; the clinical
 * header shows what the platform has. Screenshots in docs/screens/.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../contract';
import { runWebHost, type RunningWebHost } from '../../main/web/run-web-host';
import { DEMO_GP_ROLE_ID, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { ROOT } from '../support/app-fixture';
import { launchChromium } from '../support/chromium';
import { raiseFlagOnPlatform } from '../support/platform-flags';

const SCREENS = join(ROOT, 'docs', 'screens');
let sandbox: Sandbox;
let host: RunningWebHost;
let dataDir: string;
let browser: Browser;
let page: Page;
let patients: Patient[];

const GP_MESSAGE = 'Pouvez-vous passer contrôler la tension de Mme ce jeudi ? Je crains une hypotension orthostatique.';
const REPLY = 'Passée ce matin : TA 104/62 debout, 128/75 couchée. Je repasse jeudi.';
const OVERDUE_TASK = 'Rappeler la fille pour le bilan sanguin de contrôle';
const ALERT = 'Dégradation : chute ce matin au domicile, douleur de hanche droite';

/** A journal entry written straight on the platform, as another professional's software would. */
async function postEntry(patientId: string, role: string, text: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${sandbox.url}/DocumentReference`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({
      resourceType: 'DocumentReference',
      status: 'current',
      identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
      type: { coding: [{ system: 'https://relais.example/fhir/CodeSystem/journal-kind', code: extra.kind ?? 'text' }] },
      subject: { reference: `Patient/${patientId}` },
      date: new Date().toISOString(),
      author: [{ reference: `PractitionerRole/${role}` }],
      ...(extra.replyTo ? { relatesTo: [{ code: 'appends', target: { reference: `DocumentReference/${String(extra.replyTo)}` } }] } : {}),
      content: [
        { attachment: { contentType: 'text/plain; charset=utf-8', language: 'fr', data: Buffer.from(text).toString('base64') } },
        ...((extra.content as unknown[]) ?? []),
      ],
    }),
  });
  if (res.status !== 201) throw new Error(`POST DocumentReference: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function postOverdueTask(patientId: string): Promise<string> {
  const yesterday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(`${sandbox.url}/Task`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      description: OVERDUE_TASK,
      for: { reference: `Patient/${patientId}` },
      authoredOn: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      requester: { reference: 'PractitionerRole/role-lamothe' },
      owner: { reference: `PractitionerRole/${DEMO_GP_ROLE_ID}` },
      restriction: { period: { end: yesterday } },
    } satisfies Task),
  });
  if (res.status !== 201) throw new Error(`POST Task: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'relais-e2e-flow-'));
  host = await runWebHost({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true, port: 0, backgroundSync: false, alertPollMs: 60_000 });
  patients = await host.composition.core.handlers['patient.list']({});
  // The first sync of every journal is a baseline (nothing is unread in it): done before the care team writes.
  await host.composition.core.handlers['todo.list']({});
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await context.newPage();
  await page.goto(host.web.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('daily flow (issue 15, items 4–6)', () => {
  let replyPatient: Patient;
  let replyId: string;
  let voiceId: string;

  it('« À traiter » lists an unread reply, an alert and an overdue task across three patients', async () => {
    const [a, b, c] = ['pat-06', 'pat-07', 'pat-08'].map((id) => patients.find((p) => p.id === id)!);
    replyPatient = a!;
    const message = await postEntry(a!.id, DEMO_GP_ROLE_ID, GP_MESSAGE);
    replyId = await postEntry(a!.id, 'role-lamothe', REPLY, { replyTo: message });
    voiceId = await postEntry(a!.id, 'role-lamothe', 'Message vocal après la visite', {
      kind: 'voice',
      content: [{ attachment: { contentType: 'audio/wav', url: 'Binary/bin-voice-2', title: 'message-vocal-2.wav' } }],
    });
    await raiseFlagOnPlatform(sandbox.url, b!.id, ALERT);
    await postOverdueTask(c!.id);

    await page.getByTestId('todo-button').click();
    const view = page.getByTestId('todo-view');
    await expect.poll(() => view.getAttribute('data-loading'), { timeout: 90_000 }).toBe('false');
    const reply = view.locator(`[data-kind="reply"][data-patient-id="${a!.id}"]`);
    await expect.poll(() => reply.count(), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: join(SCREENS, 'todo-view.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(SCREENS, 'todo-view-400.png') });
    await page.setViewportSize({ width: 1366, height: 860 });
    // Long sections are folded after five items: unfold them all.
    const folded = view.locator('.todo-more[aria-expanded="false"]');
    while ((await folded.count()) > 0) await folded.first().click();
    expect(await reply.textContent()).toContain(REPLY);
    expect(await reply.textContent()).toContain('En réponse à : « Pouvez-vous passer contrôler la tension');
    const alert = view.locator(`[data-kind="alert"][data-patient-id="${b!.id}"]`).filter({ hasText: ALERT });
    expect(await alert.count()).toBe(1);
    const task = view.locator(`[data-kind="task"][data-patient-id="${c!.id}"]`).filter({ hasText: OVERDUE_TASK });
    expect(await task.count()).toBe(1);
    expect(await task.textContent()).toContain('Échéance dépassée');
    // Each names the patient in full (birth name, first name, birth date).
    expect(await alert.textContent()).toContain(b!.birthName.toLocaleUpperCase('fr-FR'));
    expect(await view.getByTestId('todo-summary').textContent()).toMatch(/1 réponse à vos messages/);
  });

  it('an item opens its patient; the reply quotes the message it answers; unread badge and « since your last visit »', async () => {
    await page.getByTestId('todo-view').locator(`[data-kind="reply"][data-patient-id="${replyPatient.id}"] button`).click();
    await expect.poll(() => page.getByTestId('patient-name').textContent(), { timeout: 30_000 }).toContain(replyPatient.birthName);
    const entry = page.locator(`[data-entry-id="${replyId}"]`);
    await entry.waitFor({ timeout: 30_000 });
    const quote = entry.getByTestId('reply-quote');
    expect(await quote.textContent()).toContain('En réponse à Dr Hélène DUFAU');
    expect(await quote.textContent()).toContain('Pouvez-vous passer contrôler la tension');
    expect(await page.getByTestId('since-last-visit').count()).toBe(1);
    const badge = page.locator(`[data-patient-id="${replyPatient.id}"] [data-testid="unread-badge"]`);
    expect(Number(await badge.textContent())).toBeGreaterThanOrEqual(2);
    // The quote links to the message it answers.
    await quote.getByRole('button').click();
    await expect.poll(() => page.locator('.entry--jumped').count(), { timeout: 5_000 }).toBe(1);
  });

  it('a voice note shows its duration', async () => {
    await page.getByTestId('journal').evaluate((el) => el.scrollTo(0, 0));
    const duration = page.locator(`[data-entry-id="${voiceId}"]`).getByTestId('voice-duration');
    await expect.poll(() => duration.textContent(), { timeout: 30_000 }).toMatch(/^Durée 0:0[1-3]$/);
    await page.getByTestId('journal').screenshot({ path: join(SCREENS, 'reply-quote-voice.png') });
  });

  it('the clinical header shows allergies / ALD / weight / trusted person from the platform', async () => {
    const header = page.getByTestId('clinical-header');
    await expect.poll(() => header.textContent(), { timeout: 30_000 }).toContain('Poids');
    expect(await header.textContent()).toMatch(/Allergies/);
    await page.locator('main').screenshot({ path: join(SCREENS, 'clinical-header.png') });
  });

  it('« Créer une tâche » from the message writes a FHIR Task (focus = the message) that appears in « Mes tâches »', async () => {
    const description = 'Recontrôler la tension debout / couchée jeudi';
    await page.locator(`[data-entry-id="${replyId}"]`).getByTestId('create-task-button').click();
    const dialog = page.getByTestId('create-task-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(replyPatient.birthName.toLocaleUpperCase('fr-FR'));
    const options = await dialog.getByTestId('task-assignee').locator('option').allTextContents();
    const me = options.find((o) => o.includes('(moi)'));
    expect(me).toBeDefined();
    await dialog.getByTestId('task-assignee').selectOption({ label: me! });
    await dialog.getByTestId('task-description').fill(description);
    await dialog.screenshot({ path: join(SCREENS, 'create-task-dialog.png') });
    await dialog.getByTestId('task-submit').click();
    await page.getByTestId('task-created').waitFor({ timeout: 15_000 });

    let created: Task | undefined;
    await expect
      .poll(async () => {
        const bundle = (await (await fetch(`${sandbox.url}/Task?patient=Patient/${replyPatient.id}&_count=200`)).json()) as { entry?: { resource: Task }[] };
        created = bundle.entry?.map((e) => e.resource).find((t) => t.description === description);
        return created?.focus?.reference;
      }, { timeout: 30_000 })
      .toBe(`DocumentReference/${replyId}`);
    expect(created!.owner?.reference).toBe(`PractitionerRole/${DEMO_GP_ROLE_ID}`);
    expect(created!.status).toBe('requested');

    const mine = page.getByTestId('task').filter({ hasText: description });
    await expect.poll(() => mine.count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('panels').screenshot({ path: join(SCREENS, 'task-from-message.png') });
    // « Voir le message »: the journal jumps to the entry the task comes from (the flash of a quote's jump).
    await page.evaluate(`(() => {
      window.jumpedTo = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-entry-id=' + CSS.escape(${JSON.stringify(replyId)}) + '].entry--jumped')) window.jumpedTo = true;
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] });
    })()`);
    await mine.getByTestId('task-show-entry').click();
    await expect.poll(() => page.evaluate('window.jumpedTo'), { timeout: 10_000 }).toBe(true);
  });

  it('a quick reply, marked « Urgent » when writing, is posted as an urgent answer', async () => {
    await page.locator(`[data-entry-id="${replyId}"]`).getByTestId('reply-button').click();
    const quick = page.getByTestId('quick-replies');
    await quick.waitFor();
    await quick.getByRole('button', { name: 'Vu, merci' }).click();
    expect(await page.getByTestId('draft-text').inputValue()).toBe('Vu, merci');
    await page.getByTestId('composer-urgent').check();
    await page.getByTestId('composer').screenshot({ path: join(SCREENS, 'quick-reply-urgent.png') });
    await page.getByTestId('composer-publish').click();
    let posted: { extension?: { url: string; valueBoolean?: boolean }[]; relatesTo?: { target: { reference?: string } }[] } | undefined;
    await expect
      .poll(async () => {
        const bundle = (await (await fetch(`${sandbox.url}/DocumentReference?subject=Patient/${replyPatient.id}&_sort=-date&_count=5`)).json()) as { entry?: { resource: NonNullable<typeof posted> }[] };
        posted = bundle.entry?.map((e) => e.resource).find((d) => d.relatesTo?.[0]?.target.reference === `DocumentReference/${replyId}`);
        return posted !== undefined;
      }, { timeout: 30_000 })
      .toBe(true);
    expect(posted!.extension).toContainEqual({ url: 'https://interop.esante.gouv.fr/ig/fhir/cdl/StructureDefinition/cdl-ext-is-emergency', valueBoolean: true });
  });
});
