/**
 * Issue 17 item 7, the steady state of an install following 300 patients, against the real
 * sandbox with every request counted at a proxy in front of it:
 * - a cycle asks ceil(300 / 100) = 3 requests (journals and alerts together), plus only the
 *   targeted fetches of what changed;
 * - a Flag raised on one patient is announced (`alert-raised`) by the next cycle, a note posted on
 *   another is synced by it;
 * - the alert watcher's own timer sends nothing while the cycle carries the alerts;
 * - the push hooks: `onPushActive(true)` stretches the cycle, `notifyChanged` asks about given
 *   patients now, `onPushActive(false)` catches up at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelaisEvent } from '../../contract';
import { composeCore, type Composition } from '../../main/compose';
import { BackgroundSync } from '../../main/features/journal/background-sync';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import type { Platform } from '../../main/platform/port';
import { BENCH_PATIENT_10K, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { seedFollowedPatients } from '../support/followed-patients';
import { raiseFlagOnPlatform } from '../support/platform-flags';
import { platformEntryIds, postNoteOnPlatform } from '../support/platform-writes';
import { startRequestCounter, type RequestCounter } from '../support/request-counter';

const FOLLOWED = 300;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let counter: RequestCounter;
let comp: Composition;
let ids: string[];
const raised: Extract<RelaisEvent, { type: 'alert-raised' }>[] = [];
const dirs: string[] = [];

/** The journal entry ids the store holds for a patient, sorted. */
const storedIds = (c: Composition, patientId: string) =>
  c.store
    .page(patientId, undefined, 500)
    .entries.map((e) => e.id)
    .sort();
const batches = () => counter.requests.filter((r) => r.method === 'POST' && /^\/fhir\/?(\?|$)/.test(r.path));
const journalFetches = () =>
  counter.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/fhir/DocumentReference?'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  counter = await startRequestCounter(sandbox.url);
  const platform = createFhirPlatform({ baseUrl: counter.url });
  // The 10,000-entry patient aside (its first sync would be most of this file's time); the
  // others are the seed's, completed to 300 with copies.
  const followed: Platform = {
    ...platform,
    listPatientsFollowedBy: async (pro) =>
      (await platform.listPatientsFollowedBy(pro)).filter((p) => p.id !== BENCH_PATIENT_10K.id),
  };
  const dir = mkdtempSync(join(tmpdir(), 'relais-steady-load-'));
  dirs.push(dir);
  comp = await composeCore({
    platformUrl: counter.url,
    dataDir: dir,
    rpps: DEMO_GP_RPPS,
    demo: true,
    platform: followed,
    alertPollMs: 100,
    syncIntervalMs: 3_600_000,
  });
  const before = (await comp.core.handlers['patient.list']({})).length;
  await seedFollowedPatients(sandbox, FOLLOWED - before);
  ids = (await comp.core.handlers['patient.list']({})).map((p) => p.id);
  comp.core.events.subscribe((e) => {
    if (e.type === 'alert-raised') raised.push(e);
  });
  // The first pass: alert baseline and every journal's first sync. The next one is a steady cycle.
  comp.core.background.start();
  comp.core.alerts.start();
  await comp.core.background.runOnce();
}, 300_000);

afterAll(async () => {
  await comp?.core.alerts.stop();
  await comp?.close();
  await counter?.close();
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('steady state with 300 followed patients', () => {
  it('asks ceil(300/100) requests a cycle, announces a new Flag and syncs a changed journal within that cycle', async () => {
    expect(ids).toHaveLength(FOLLOWED);
    expect(raised).toHaveLength(0); // the baseline announces nothing
    expect(comp.core.background.carriesAlerts()).toBe(true);

    // The watcher's own timer (every 100 ms here) stays quiet: the cycle carries the alerts.
    counter.reset();
    await sleep(1_000);
    expect(counter.requests).toEqual([]);

    // Nothing changed: the three questions and nothing else.
    await comp.core.background.runOnce();
    expect(batches()).toHaveLength(Math.ceil(FOLLOWED / 100));
    expect(counter.requests).toHaveLength(Math.ceil(FOLLOWED / 100));

    // A Flag on one patient, a note on another (written by colleagues, not through the proxy).
    const flagged = ids[150]!;
    const noted = ids[250]!;
    const flag = await raiseFlagOnPlatform(sandbox.url, flagged, 'Chute ce matin, douleur de hanche', 'degradation');
    await postNoteOnPlatform(sandbox.url, noted, 'Passage infirmier : pansement refait.');
    counter.reset();
    await comp.core.background.runOnce();
    expect(raised.map((e) => [e.patient.id, e.alert.id])).toEqual([[flagged, flag.id]]);
    expect(storedIds(comp, noted)).toEqual((await platformEntryIds(sandbox.url, noted)).sort());
    expect(batches()).toHaveLength(Math.ceil(FOLLOWED / 100));
    // The targeted fetches: the changed journal only (and, at most, the Flag author's role).
    expect(journalFetches().map((r) => new URL(r.path, 'http://x').searchParams.get('subject'))).toEqual([
      `Patient/${noted}`,
    ]);
    const others = counter.requests.filter((r) => !batches().includes(r) && !journalFetches().includes(r));
    for (const r of others) expect(r.path).toMatch(/^\/fhir\/PractitionerRole\?/);
    expect(comp.core.alerts.unacknowledged()).toBe(raised[0]!.unacknowledged);

    // Steady again: the announced alert is not announced twice, the synced journal not re-fetched.
    counter.reset();
    await comp.core.background.runOnce();
    expect(raised).toHaveLength(1);
    expect(counter.requests).toHaveLength(Math.ceil(FOLLOWED / 100));
  });

  it('push hooks: onPushActive(true) stretches the cycle, notifyChanged asks about given patients now, onPushActive(false) catches up', async () => {
    // This test's own cycle, fast (200 ms) and alone: the core's cycle and the watcher's timer stop.
    await comp.core.background.stop();
    await comp.core.alerts.stop();
    const events: RelaisEvent[] = [];
    const unsubscribe = comp.core.events.subscribe((e) => events.push(e));
    const sync = new BackgroundSync({
      journal: comp.core.journal,
      events: comp.core.events,
      followedPatientIds: async () => ids,
      platform: createFhirPlatform({ baseUrl: counter.url }),
      alerts: () => comp.core.alerts,
      intervalMs: 200,
      pushIntervalMs: 3_600_000,
    });
    try {
      counter.reset();
      sync.start();
      await expect
        .poll(() => batches().length, { timeout: 30_000 })
        .toBeGreaterThanOrEqual(2 * Math.ceil(FOLLOWED / 100));

      // A subscription is up: no more cycles (the next one would come in an hour).
      await sync.onPushActive(true);
      counter.reset();
      await sleep(1_500);
      expect(counter.requests).toEqual([]);

      // A notification for one patient: one question (its journal and alerts), one sync.
      const noted = ids[42]!;
      await postNoteOnPlatform(sandbox.url, noted, 'Kinésithérapeute : reprise de la marche avec déambulateur.');
      await sync.notifyChanged([noted]);
      expect(batches()).toHaveLength(1);
      expect(journalFetches().map((r) => new URL(r.path, 'http://x').searchParams.get('subject'))).toEqual([
        `Patient/${noted}`,
      ]);
      expect(storedIds(comp, noted)).toEqual((await platformEntryIds(sandbox.url, noted)).sort());

      // A Flag whose notification was lost while the subscription was up: the drop catches up.
      const flagged = ids[7]!;
      const flag = await raiseFlagOnPlatform(
        sandbox.url,
        flagged,
        'Hospitalisation : admis aux urgences',
        'hospitalisation',
        'role-larrieu',
      );
      const before = raised.length;
      await sync.onPushActive(false);
      await expect.poll(() => raised.slice(before).map((e) => e.alert.id), { timeout: 30_000 }).toEqual([flag.id]);
      expect(events.some((e) => e.type === 'alert-raised' && e.alert.id === flag.id)).toBe(true);
    } finally {
      unsubscribe();
      await sync.stop();
    }
  });
});
