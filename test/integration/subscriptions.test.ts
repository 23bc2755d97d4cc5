/**
 * Issue 17 item 7, push: FHIR Subscriptions (R4 backport, websocket channel) between the real
 * sandbox and the Relais core — a colleague's post is synced by push with no polling pass; a
 * dropped socket or silent heartbeats bring polling back, then push reconnects with a catch-up
 * pass; garbage on the socket changes nothing; the platform never notifies outside the care
 * teams; a platform without subscriptions is polled as before.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RelaisEvent } from '../../contract';
import { CardSession } from '../../main/auth/card-session';
import { composeCore, type Composition } from '../../main/compose';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { subscriptionFor } from '../../main/platform/subscriptions/messages';
import type { Platform } from '../../main/platform/port';
import { FakeCardReader } from '../../native-bridges/card/fake-reader';
import { BENCH_PATIENT_10K, BENCH_PATIENT_500, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { checkConformance } from '../../sandbox/fhir/conformance';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { testPki, type IssuedCertificate } from '../fixtures/pki/pki';
import { raiseFlagOnPlatform } from '../support/platform-flags';
import { postNoteOnPlatform } from '../support/platform-writes';
import { startWanProxy } from '../support/wan-proxy';

const WAIT = { timeout: 60_000, interval: 50 };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Probe {
  comp: Composition;
  events: RelaisEvent[];
  followed: string[];
  /** Patients the platform's list leaves out (the two benchmark ones, and what a test adds). */
  hidden: Set<string>;
}

/** A core on the sandbox, the two benchmark patients aside (their first sync would be most of the time). */
async function compose(sandbox: Sandbox, syncIntervalMs: number, platformUrl = sandbox.url): Promise<Probe> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-push-'));
  dirs.push(dir);
  const platform = createFhirPlatform({ baseUrl: platformUrl });
  const probe = { events: [] as RelaisEvent[], followed: [] as string[], hidden: new Set([BENCH_PATIENT_10K.id, BENCH_PATIENT_500.id]) } as Probe;
  const counting: Platform = {
    ...platform,
    listPatientsFollowedBy: async (pro) => (await platform.listPatientsFollowedBy(pro)).filter((p) => !probe.hidden.has(p.id)),
  };
  probe.comp = await composeCore({
    platformUrl,
    dataDir: dir,
    rpps: DEMO_GP_RPPS,
    demo: true,
    platform: counting,
    syncIntervalMs,
    reconnectBaseMs: 100,
    push: { heartbeatSeconds: 1, reconnectBaseMs: 100, filterCheckMs: 200 },
  });
  probe.comp.core.events.subscribe((e) => probe.events.push(e));
  probe.followed = (await probe.comp.core.handlers['patient.list']({})).map((p) => p.id);
  return probe;
}

const stored = (probe: Probe, patientId: string, entryId: string) => probe.comp.store.page(patientId, undefined, 500).entries.some((e) => e.id === entryId);
const passesIn = (events: RelaisEvent[]) => events.filter((e) => e.type === 'sync-status' && e.state === 'running').length;

/** Push bound and its catch-up pass over: from here, only push or the timer can sync. */
async function settled(probe: Probe, handshakes: number): Promise<void> {
  await expect.poll(() => probe.comp.push!.counts.handshakes, WAIT).toBeGreaterThanOrEqual(handshakes);
  await expect.poll(() => probe.comp.push!.state, WAIT).toBe('active');
  await probe.comp.core.background.runOnce();
}

describe('push on the demo sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1 });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('the Subscription Relais writes validates against R4', () => {
    expect(checkConformance('POST', subscriptionFor(['pat-1', 'pat-2'], 60))).toBeNull();
    expect(checkConformance('PUT', subscriptionFor(['pat-1'], 60, 'sub-1'))).toBeNull();
  });

  it('the CapabilityStatement advertises the topic and the websocket binding', async () => {
    const cap = JSON.stringify(await (await fetch(`${sandbox.url}/metadata`)).json());
    expect(cap).toContain('https://relais.example/fhir/SubscriptionTopic/journal-changed');
    expect(cap).toContain('get-ws-binding-token');
  });

  it("a colleague's post reaches the store by push, with no polling pass; garbage frames change nothing", async () => {
    const probe = await compose(sandbox, 1e9); // polling would wait ~11 days
    try {
      probe.comp.core.background.start();
      probe.comp.push!.start();
      await settled(probe, 1);
      expect(sandbox.subscriptions!.boundSockets()).toBe(1);
      const patient = probe.followed[2]!;
      probe.events.length = 0;

      const entry = await postNoteOnPlatform(sandbox.url, patient, 'Passage IDE : constantes stables.');
      await expect.poll(() => stored(probe, patient, entry), WAIT).toBe(true);
      expect(passesIn(probe.events)).toBe(0);

      // Hostile frames: not JSON, binary, wrong shapes, another topic, an unfollowed patient.
      const handshakes = probe.comp.push!.counts.handshakes;
      const ignoredBefore = probe.comp.push!.counts.ignored;
      const subscription = `${sandbox.url}/Subscription/x`;
      const status = (topic: string, patientRef: string) =>
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'history',
          entry: [
            {
              resource: {
                resourceType: 'Parameters',
                parameter: [
                  { name: 'subscription', valueReference: { reference: subscription } },
                  { name: 'topic', valueCanonical: topic },
                  { name: 'type', valueCode: 'event-notification' },
                  { name: 'notification-event', part: [{ name: 'focus', valueReference: { reference: 'DocumentReference/1' } }, { name: 'additional-context', valueReference: { reference: patientRef } }] },
                ],
              },
            },
          ],
        });
      const garbage: (string | Buffer)[] = [
        'not json {',
        Buffer.from([0, 1, 2, 255]),
        '{}',
        'null',
        JSON.stringify({ resourceType: 'Bundle', type: 'history', entry: [] }),
        JSON.stringify({ resourceType: 'Bundle', type: 'history', entry: [{ resource: { resourceType: 'Parameters', parameter: 'x' } }] }),
        status('https://evil.example/topic', `Patient/${patient}`),
        status('https://relais.example/fhir/SubscriptionTopic/journal-changed', 'Patient/../../etc'),
        'x'.repeat(200_000),
      ];
      for (const frame of garbage) sandbox.subscriptions!.sendRaw(frame);
      await expect.poll(() => probe.comp.push!.counts.ignored - ignoredBefore, WAIT).toBe(garbage.length);
      expect(probe.comp.push!.state).toBe('active');
      expect(probe.comp.push!.counts.handshakes).toBe(handshakes);

      // Still delivering after the garbage.
      const second = await postNoteOnPlatform(sandbox.url, patient, 'Passage IDE : pansement refait.');
      await expect.poll(() => stored(probe, patient, second), WAIT).toBe(true);
      expect(passesIn(probe.events)).toBe(0);

      // Alerts ride the same channel: the watcher is not started here, only push can make it ask.
      await probe.comp.core.alerts.pollNow(); // the baseline (joins the catch-up's poll)
      const flag = await raiseFlagOnPlatform(sandbox.url, patient);
      await expect.poll(() => probe.events.some((e) => e.type === 'alert-raised' && e.alert.id === flag.id), WAIT).toBe(true);
      expect(passesIn(probe.events)).toBe(0);
    } finally {
      await probe.comp.close();
    }
    expect(sandbox.subscriptions!.boundSockets()).toBe(0);
  });

  it('the socket dropped: polling resumes at its interval, then push reconnects with one catch-up pass', async () => {
    const probe = await compose(sandbox, 1500);
    try {
      probe.comp.core.background.start();
      probe.comp.push!.start();
      await settled(probe, 1);
      // While push works, passes wait for the push interval (30 min), not 1.5 s.
      const patient = probe.followed[4]!;
      probe.events.length = 0;
      const viaPush = await postNoteOnPlatform(sandbox.url, patient, 'Kiné : séance faite.');
      await expect.poll(() => stored(probe, patient, viaPush), WAIT).toBe(true);

      // The platform refuses new bindings, then drops the socket: only polling is left.
      sandbox.setFaults({ errorRate: 1, pathPrefix: 'Subscription' });
      sandbox.subscriptions!.closeSockets();
      await expect.poll(() => probe.comp.push!.state, WAIT).not.toBe('active');
      const viaPoll = await postNoteOnPlatform(sandbox.url, patient, 'Pharmacie : livraison faite.');
      await expect.poll(() => stored(probe, patient, viaPoll), WAIT).toBe(true);
      await expect.poll(() => passesIn(probe.events), WAIT).toBeGreaterThanOrEqual(2); // passes, one per interval
      expect(probe.comp.push!.state).not.toBe('active');

      // The platform takes bindings again: push is back, with a catch-up pass at the handshake.
      sandbox.setFaults({});
      const passesBefore = passesIn(probe.events);
      await settled(probe, 2);
      expect(passesIn(probe.events)).toBeGreaterThan(passesBefore);
      const again = await postNoteOnPlatform(sandbox.url, patient, 'IDE : retour à domicile ok.');
      await expect.poll(() => stored(probe, patient, again), WAIT).toBe(true);
    } finally {
      sandbox.setFaults({});
      await probe.comp.close();
    }
  });

  it('a patient newly followed joins the filter on the same socket, then its posts come by push', async () => {
    const probe = await compose(sandbox, 1e9);
    try {
      const newcomer = probe.followed[5]!;
      probe.hidden.add(newcomer);
      probe.comp.core.background.start();
      probe.comp.push!.start();
      await settled(probe, 1);
      const filters = async () => JSON.stringify(await (await fetch(`${sandbox.url}/Subscription`)).json());
      expect(await filters()).not.toContain(`Patient/${newcomer}`);
      probe.hidden.delete(newcomer);
      await expect.poll(filters, WAIT).toContain(`Patient/${newcomer}`);
      await probe.comp.core.background.runOnce(); // the catch-up for the newcomer (joined or run)
      probe.events.length = 0;
      const entry = await postNoteOnPlatform(sandbox.url, newcomer, 'IDE : première visite.');
      await expect.poll(() => stored(probe, newcomer, entry), WAIT).toBe(true);
      expect(passesIn(probe.events)).toBe(0);
      expect(probe.comp.push!.counts.handshakes).toBe(1);
    } finally {
      await probe.comp.close();
    }
  });

  it('through the WAN proxy, the websocket goes through the proxy too (the URL the client reached)', async () => {
    const wan = await startWanProxy({ targetPort: sandbox.port });
    const probe = await compose(sandbox, 1e9, wan.url(sandbox.url));
    try {
      probe.comp.core.background.start();
      probe.comp.push!.start();
      await settled(probe, 1);
      const before = wan.bytes.down;
      const patient = probe.followed[3]!;
      probe.events.length = 0;
      const entry = await postNoteOnPlatform(sandbox.url, patient, 'Diététicienne : bilan fait.');
      await expect.poll(() => stored(probe, patient, entry), WAIT).toBe(true);
      expect(passesIn(probe.events)).toBe(0);
      expect(wan.bytes.down).toBeGreaterThan(before);
      const binding = (await (await fetch(`${wan.url(sandbox.url)}/Subscription/$get-ws-binding-token`, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: '{"resourceType":"Parameters"}' })).json()) as { parameter: { name: string; valueUrl?: string }[] };
      expect(binding.parameter.find((p) => p.name === 'websocket-url')!.valueUrl).toBe(`ws://127.0.0.1:${wan.port}/fhir/ws`);
    } finally {
      await probe.comp.close();
      await wan.close();
    }
  });

  it('heartbeats stop while the socket stays open: the client gives up on it after 2 periods and binds again', async () => {
    const probe = await compose(sandbox, 1e9);
    try {
      probe.comp.push!.start();
      await expect.poll(() => probe.comp.push!.state, WAIT).toBe('active');
      const handshakes = probe.comp.push!.counts.handshakes;
      sandbox.subscriptions!.pauseHeartbeats(true);
      // A new handshake means the client closed the silent socket itself (the sandbox never did).
      await expect.poll(() => probe.comp.push!.counts.handshakes, WAIT).toBeGreaterThan(handshakes);
    } finally {
      sandbox.subscriptions!.pauseHeartbeats(false);
      await probe.comp.close();
    }
  });
});

describe('push on a platform without subscriptions', () => {
  it('Relais sees none offered and keeps polling as before', async () => {
    const sandbox = await startSandbox({ port: 0, seed: 1, subscriptions: false });
    const probe = await compose(sandbox, 1500);
    try {
      expect(JSON.stringify(await (await fetch(`${sandbox.url}/metadata`)).json())).not.toContain('journal-changed');
      probe.comp.core.background.start();
      probe.comp.push!.start();
      await expect.poll(() => probe.comp.push!.state, WAIT).toBe('unsupported');
      await probe.comp.core.background.runOnce();
      const patient = probe.followed[1]!;
      probe.events.length = 0;
      const entry = await postNoteOnPlatform(sandbox.url, patient, 'IDE : prise de sang faite.');
      await expect.poll(() => stored(probe, patient, entry), WAIT).toBe(true);
      expect(passesIn(probe.events)).toBeGreaterThanOrEqual(1);
    } finally {
      await probe.comp.close();
      await sandbox.close();
    }
  });
});

describe('care-team scope of notifications (card-authenticated sandbox)', () => {
  const PIN = '4826';
  const SECRETARY_ROLE = 'PractitionerRole/role-staff-labeyrie';
  let sandbox: Sandbox;
  let secretary: string;
  let gp: string;
  let hers: string[];
  let others: string[];

  const tokenOf = async (cert: IssuedCertificate): Promise<string> => {
    const reader = new FakeCardReader({ label: 'CARTE', serial: cert.certificatePem.length.toString(), certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, pin: PIN });
    const session = await CardSession.open({ reader, platformUrl: sandbox.url, authUrl: sandbox.authUrl });
    await session.signIn(PIN);
    return session.getAccessToken()!;
  };
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { id?: string; parameter?: { name: string; valueString?: string; valueUrl?: string }[] } };
  };
  const note = (patient: string, medical: boolean) => ({
    resourceType: 'DocumentReference',
    status: 'current',
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
    type: { coding: [{ system: 'https://relais.example/fhir/CodeSystem/journal-kind', code: 'text', display: 'Message' }] },
    subject: { reference: `Patient/${patient}` },
    date: new Date().toISOString(),
    ...(medical ? { securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] }] } : {}),
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from('note').toString('base64') } }],
  });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 1, cardAuth: { trustedRootsPem: [testPki().root.certificatePem], tokenTtlSeconds: 600 } });
    [secretary, gp] = [await tokenOf(testPki().secretary), await tokenOf(testPki().gp)];
    const teams = (await call(gp, 'GET', 'CareTeam?_count=100')).body as { entry: { resource: { subject: { reference: string }; participant: unknown } }[] };
    const subjectOf = (t: { subject: { reference: string } }) => t.subject.reference.slice('Patient/'.length);
    const withHer = (t: { participant: unknown }) => JSON.stringify(t.participant).includes(SECRETARY_ROLE);
    hers = teams.entry.filter((e) => withHer(e.resource)).map((e) => subjectOf(e.resource));
    others = teams.entry.filter((e) => !withHer(e.resource)).map((e) => subjectOf(e.resource));
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a filter naming patients outside her care teams, or medical entries, never yields a notification to the secretary', async () => {
    expect(hers.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    const [mine, outside] = [hers[0]!, others[0]!];
    const created = await call(secretary, 'POST', 'Subscription', {
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'test',
      criteria: 'https://relais.example/fhir/SubscriptionTopic/journal-changed',
      _criteria: { extension: [{ url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria', valueString: `patient=Patient/${mine},Patient/${outside}` }] },
      channel: { type: 'websocket', payload: 'application/fhir+json' },
    });
    expect(created.status).toBe(201);
    // The GP can neither see nor bind the secretary's subscription.
    expect((await call(gp, 'GET', `Subscription/${created.body.id}`)).status).toBe(404);
    expect((await call(gp, 'POST', `Subscription/${created.body.id}/$get-ws-binding-token`, { resourceType: 'Parameters' })).status).toBe(404);

    const binding = await call(secretary, 'POST', `Subscription/${created.body.id}/$get-ws-binding-token`, { resourceType: 'Parameters' });
    const param = (n: string) => binding.body.parameter!.find((p) => p.name === n)!;
    const ws = new WebSocket(param('websocket-url').valueUrl!);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(String(d)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(`bind-with-token ${param('token').valueString}`);
    try {
      await expect.poll(() => frames.some((f) => f.includes('"handshake"')), WAIT).toBe(true);
      const hidden = [(await call(gp, 'POST', 'DocumentReference', note(outside, false))).body.id!, (await call(gp, 'POST', 'DocumentReference', note(mine, true))).body.id!];
      const seen = (await call(gp, 'POST', 'DocumentReference', note(mine, false))).body.id!;
      // Sent in write order: once the visible one is here, the two before it would have been too.
      await expect.poll(() => frames.some((f) => f.includes(`DocumentReference/${seen}`)), WAIT).toBe(true);
      const all = frames.join('\n');
      for (const id of hidden) expect(all).not.toContain(id);
      expect(all).not.toContain(`Patient/${outside}`);
    } finally {
      ws.close();
    }
  });
});
