/**
 * What the e2e of the support cell's services and of prescribing share: the sandbox and the web
 * host (app-fixture.ts), Debian's Chromium on the app's page, the platform read as the test sees it,
 * a card sign-in when the session is a card holder's, and opening a patient as the practice
 * software launches it (or, for a card holder, from the patient list).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Patient } from '../../contract';
import { FakeCardReader, type FakeToken } from '../../native-bridges/card/fake-reader';
import { ROOT, contextOf, openAppPage, startApp, type AppFixture } from './app-fixture';

export const SHOTS = join(ROOT, 'docs', 'screens');

export interface E2eSession {
  app: AppFixture;
  browser: Browser;
  page: Page;
  /** A FHIR search on the sandbox as the test sees it (service token when cards are on): its resources. */
  search<T>(query: string): Promise<T[]>;
  /** One FHIR read (`Type/id`, `Binary/…`) as JSON. */
  read<T>(reference: string): Promise<T>;
  /** Headers for the sandbox's scripted actors and raw reads. */
  token: string | undefined;
  close(): Promise<void>;
}

export async function startE2eSession(options: { card?: FakeToken; viewport?: { width: number; height: number } } = {}): Promise<E2eSession> {
  const app = await startApp(options.card ? { card: new FakeCardReader(options.card) } : {});
  const { browser, page } = await openAppPage(app, options.viewport ?? { width: 1440, height: 1000 });
  const token = app.serviceToken ?? undefined;
  const headers: Record<string, string> = { Accept: 'application/fhir+json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${app.sandboxUrl}/${path}`, { headers });
    if (!res.ok) throw new Error(`GET ${path.split('?')[0]} → ${res.status}`);
    return res.json();
  };
  return {
    app,
    browser,
    page,
    token,
    async search<T>(query: string) {
      const bundle = (await get(query)) as { entry?: { resource: T }[] };
      return (bundle.entry ?? []).map((e) => e.resource);
    },
    read: async <T>(reference: string) => (await get(reference)) as T,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/** The seeded regular patients living in the Landes (home postal code 40000) who have an INS: their ids. */
export async function landesPatientIds(session: E2eSession): Promise<string[]> {
  const landes = await session.search<{ id: string; identifier?: unknown[] }>('Patient?address-postalcode=40000&_count=50');
  return landes.filter((p) => /^pat-\d+$/.test(p.id) && (p.identifier?.length ?? 0) > 0).map((p) => p.id);
}

/** Signs in with the card in the reader: its PIN on the sign-in screen, then the holder's name in the header. */
export async function signInWithCard(page: Page, pin: string, familyName: string): Promise<void> {
  await page.locator('#signin-screen-pin').fill(pin);
  await page.keyboard.press('Enter');
  await page.locator('.professional-name', { hasText: familyName }).waitFor({ timeout: 20_000 });
}

/** Opens the patient as the practice software launches it, and waits for the banner. */
export async function launchPatient(session: E2eSession, patient: Patient): Promise<void> {
  await session.app.host.composition.core.launch(contextOf(patient), 'e2e');
  await bannerShows(session.page, patient);
}

/** Opens the patient from the list of followed patients (a card holder's way), and waits for the banner. */
export async function openFromList(page: Page, patient: Patient): Promise<void> {
  await page.getByTestId('patient-list').getByText(patient.birthName, { exact: false }).first().click();
  await bannerShows(page, patient);
}

/** Waits for the banner to name the patient (a locator wait: usable in beforeAll, unlike expect.poll). */
async function bannerShows(page: Page, patient: Patient): Promise<void> {
  await page.getByTestId('patient-name').getByText(patient.birthName, { exact: false }).waitFor({ timeout: 15_000 });
}
