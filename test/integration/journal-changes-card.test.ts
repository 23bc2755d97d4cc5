/**
 * The background sync's « which journals changed » question (Platform.journalChangedAmong) asked
 * with a card holder's token against the card-authenticated sandbox: the platform refuses
 * projections (`_elements`) to signed-in professionals, and a refusal there used to leave every
 * card holder's background sync « offline » (issue 13 follow-up: the nurse's answer never came).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardSession } from '../../main/auth/card-session';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import type { Platform } from '../../main/platform/port';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { testPki } from '../fixtures/pki/pki';

const PIN = '2468';

describe('journalChangedAmong with a card holder’s token', () => {
  let sandbox: Sandbox;
  let platform: Platform;
  let hers: string[];
  let token: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1, cardAuth: { trustedRootsPem: [testPki().root.certificatePem], tokenTtlSeconds: 600 } });
    const nurse = testPki().nurse;
    const reader = new FakeCardReader({ label: 'CPS LAMOTHE', serial: 'NUR-0001', certificatePem: nurse.certificatePem, privateKeyPem: nurse.privateKeyPem, pin: PIN });
    const session = await CardSession.open({ reader, platformUrl: sandbox.url, authUrl: sandbox.authUrl });
    await session.signIn(PIN);
    token = session.getAccessToken()!;
    platform = createFhirPlatform({ baseUrl: sandbox.url, getAccessToken: () => session.getAccessToken() });
    // Her regular patients (a benchmark patient's 10,000 entries would make this a load test).
    hers = (await platform.listPatientsFollowedBy('prac-lamothe')).map((p) => p.id).filter((id) => !id.startsWith('pat-bench'));
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  it('is answered (not refused) and names the patient whose journal changed since the instant, and only hers', async () => {
    const patientId = hers[0]!;
    // The instant just before this patient's newest entry was stored: only it has changed since.
    const res = await fetch(`${sandbox.url}/DocumentReference?subject=Patient/${patientId}&_sort=-_lastUpdated&_count=1`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' },
    });
    const newest = ((await res.json()) as { entry: { resource: { meta: { lastUpdated: string } } }[] }).entry[0]!.resource.meta.lastUpdated;
    const since = new Date(Date.parse(newest) - 1).toISOString();
    const changed = await platform.journalChangedAmong!(hers, since);
    expect(changed.has(patientId)).toBe(true);
    for (const id of changed) expect(hers).toContain(id);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await platform.journalChangedAmong!(hers, future)).size).toBe(0);
  }, 120_000);
});
