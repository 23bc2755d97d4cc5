import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelaisClient, JOURNAL_FIRST_PAGE_SIZE, type RelaisClient, type RelaisEvent, type Transport } from '../../contract';
import { inProcessTransport } from '../../main/api/in-process-transport';
import { composeCore, type Composition } from '../../main/compose';
import { insKey } from '../../main/launch/ins';
import { hostComposition, startWebHost, type WebHost } from '../../main/web/web-host';
import { BENCH_PATIENT_500, DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { contextOf } from '../support/app-fixture';
import { connectWsTransport } from '../support/ws-transport';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
});
afterAll(async () => {
  await sandbox?.close();
});

interface Harness {
  transport: Transport;
  client: RelaisClient;
  events: RelaisEvent[];
  close(): Promise<void>;
}

async function composition(): Promise<{ comp: Composition; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-conf-'));
  const comp = await composeCore({ platformUrl: sandbox.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true });
  return { comp, dir };
}

function harness(transport: Transport, close: () => Promise<void>): Harness {
  const client = createRelaisClient(transport);
  const events: RelaisEvent[] = [];
  client.onEvent((e) => events.push(e));
  return { transport, client, events, close };
}

const transports: Record<string, () => Promise<Harness>> = {
  'in-process': async () => {
    const { comp, dir } = await composition();
    return harness(inProcessTransport(comp.dispatch, comp.core), async () => {
      await comp.close();
      rmSync(dir, { recursive: true, force: true });
    });
  },
  websocket: async () => {
    const { comp, dir } = await composition();
    const web: WebHost = await startWebHost({ app: hostComposition(comp), rendererDir: dir });
    const ws = await connectWsTransport(web.origin, web.token);
    return harness(ws, async () => {
      ws.close();
      await web.close();
      await comp.close();
      rmSync(dir, { recursive: true, force: true });
    });
  },
};

async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(Object.keys(transports))('contract over %s', (name) => {
  let h: Harness;
  beforeAll(async () => {
    h = await (transports[name] as () => Promise<Harness>)();
  });
  afterAll(async () => h?.close());

  it('session.current names the demo GP', async () => {
    const r = await h.client.call('session.current', {});
    expect(r.ok && r.value.professional.rpps).toBe(DEMO_GP_RPPS);
    expect(r.ok && r.value.demo).toBe(true);
  });

  it('patient.list returns the followed patients, sorted by birth name', async () => {
    const r = await h.client.call('patient.list', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.length).toBeGreaterThanOrEqual(20);
    const names = r.value.map((p) => p.birthName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr')));
  });

  it('patient.open resolves by INS, announces the patient, and journal.page pages newest first', async () => {
    const list = await h.client.call('patient.list', {});
    if (!list.ok) throw new Error(list.error.message);
    const patient = list.value.find((p) => p.id === BENCH_PATIENT_500.id);
    expect(patient).toBeDefined();
    const opened = await h.client.call('patient.open', contextOf(patient!));
    expect(opened.ok && opened.value.patient.id).toBe(BENCH_PATIENT_500.id);
    expect(opened.ok && opened.value.cached).toBe(false);
    await until(() => h.events.some((e) => e.type === 'patient-changed' && e.patient.id === BENCH_PATIENT_500.id));

    const ids: string[] = [];
    let cursor: string | undefined;
    let previousDate = '9999';
    do {
      const page = await h.client.call('journal.page', { patientId: BENCH_PATIENT_500.id, limit: 200, ...(cursor ? { cursor } : {}) });
      if (!page.ok) throw new Error(page.error.message);
      expect(page.value.total).toBe(500);
      for (const e of page.value.entries) {
        expect(e.date <= previousDate).toBe(true);
        previousDate = e.date;
        ids.push(e.id);
      }
      cursor = page.value.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(ids).size).toBe(500);

    const changed = () => h.events.filter((e): e is Extract<RelaisEvent, { type: 'patient-changed' }> => e.type === 'patient-changed');
    // Never synced: the window asks for its page (the event carries none).
    expect(changed().at(-1)?.firstPage).toBeUndefined();
    const before = changed().length;
    const again = await h.client.call('patient.open', contextOf(patient!));
    expect(again.ok && again.value.cached).toBe(true);
    await until(() => changed().length > before);
    // In the store: the newest page comes with the patient, as journal.page would give it.
    const carried = changed().at(-1)?.firstPage;
    const asked = await h.client.call('journal.page', { patientId: BENCH_PATIENT_500.id, limit: JOURNAL_FIRST_PAGE_SIZE });
    if (!asked.ok) throw new Error(asked.error.message);
    expect(carried?.entries.map((e) => e.id)).toEqual(asked.value.entries.map((e) => e.id));
    expect(carried).toMatchObject({ patientId: BENCH_PATIENT_500.id, total: 500, source: 'store', nextCursor: asked.value.nextCursor });
  });

  it('patient.open of an INS unknown to the platform is PATIENT_NOT_FOUND', async () => {
    const first13 = '1850540192999';
    const r = await h.client.call('patient.open', {
      ins: { value: first13 + insKey(first13), oid: '1.2.250.1.213.1.4.10' },
      birthName: 'INCONNU',
      firstNames: ['Jean'],
      birthDate: '1985-05-01',
      sex: 'M',
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('PATIENT_NOT_FOUND');
  });

  it('rejects invalid payloads and unknown methods with INVALID_INPUT', async () => {
    const bad = await h.client.call('patient.open', { ins: { value: 'x', oid: 'y' } } as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('INVALID_INPUT');
    // The host itself refuses an unknown method (the typed client would not even send it).
    const unknown = (await h.transport.invoke('patient.delete' as never, {})) as { ok: boolean; error?: { code: string } };
    expect(unknown.ok ? 'ok' : unknown.error?.code).toBe('INVALID_INPUT');
    const viaClient = await h.client.call('patient.delete' as never, {} as never);
    expect(viaClient.ok ? 'ok' : viaClient.error.code).toBe('INVALID_INPUT');
    const page = await h.client.call('journal.page', { patientId: 'never-opened' });
    expect(page.ok ? 'ok' : page.error.code).toBe('PATIENT_NOT_FOUND');
  });
});

describe('web host WebSocket guard', () => {
  it('refuses a wrong token and a foreign Origin', async () => {
    const { comp, dir } = await composition();
    const web = await startWebHost({ app: hostComposition(comp), rendererDir: dir });
    try {
      await expect(connectWsTransport(web.origin, 'wrong-token')).rejects.toThrow(/403/);
      await expect(connectWsTransport(web.origin, web.token, 'http://evil.localhost:1234')).rejects.toThrow(/403/);
      const ok = await connectWsTransport(web.origin, web.token);
      ok.close();
    } finally {
      await web.close();
      await comp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
