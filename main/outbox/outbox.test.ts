import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RelaisError, type OutboxItem, type RelaisEvent } from '../../contract';
import { EventBus } from '../events';
import { createFhirPlatform } from '../platform/fhir/index';
import { CLIENT_ID_SYSTEM } from '../platform/fhir/writes';
import type { Platform } from '../platform/port';
import { BENCH_PATIENT_500, DEMO_GP_ID } from '../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { journalEntryWrite, journalEntryWriter, type JournalPost } from '../features/journal/writer';
import { LocalStore } from '../store/store';
import { Outbox } from './outbox';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, isRetryable } from './policy';
import { DEMO_GP_PROFESSIONAL } from '../../test/support/demo-professional';

let sandbox: Sandbox;
let platform: Platform;
let dir: string;
/** Stores opened by openOutbox (the outbox's connection comes from one), closed after each test. */
let stores: LocalStore[] = [];
const professional = DEMO_GP_PROFESSIONAL;
const patientId = BENCH_PATIENT_500.id;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  platform = createFhirPlatform({ baseUrl: sandbox.url, timeoutMs: 3000 });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-outbox-'));
  sandbox.setFaults({});
});
afterEach(() => {
  for (const s of stores) s.close();
  stores = [];
  rmSync(dir, { recursive: true, force: true });
});

async function onPlatform(clientId: string): Promise<string[]> {
  const res = await fetch(`${sandbox.url}/DocumentReference?identifier=${encodeURIComponent(`${CLIENT_ID_SYSTEM}|${clientId}`)}`);
  const bundle = (await res.json()) as { entry?: { resource: { id: string } }[] };
  return (bundle.entry ?? []).map((e) => e.resource.id);
}

/** An outbox on the test's store.db, with the journal writer registered as the posting handlers do. */
function openOutbox(p: Platform, events = new EventBus(), now?: () => number): Outbox {
  const store = new LocalStore(join(dir, 'store.db'));
  stores.push(store);
  const outbox = new Outbox({ store, platform: p, events, professional, random: () => 0.5, ...(now ? { now } : {}) });
  outbox.registerWriter('journal-entry', journalEntryWriter);
  return outbox;
}

/** What journal.post does: validate and build the write, enqueue it. */
function post(outbox: Outbox, input: JournalPost) {
  return outbox.enqueue(journalEntryWrite(input, stores.at(-1)!.journal));
}

describe('backoff and error policy', () => {
  it('doubles the ceiling from 1 s up to 5 min, with full jitter below it', () => {
    expect([1, 2, 3, 4, 5, 9, 10, 20].map((n) => backoffCeiling(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 256_000, 300_000, 300_000,
    ]);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.5)).toBe(2_000);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.9999)).toBe(3_999);
  });

  it('retries unreachable, 5xx/429, 409/412 and expired sessions; gives up on other 4xx and forbidden', () => {
    for (const code of ['PLATFORM_UNREACHABLE', 'PLATFORM_ERROR', 'CONFLICT', 'UNAUTHENTICATED'] as const) {
      expect(isRetryable(new RelaisError(code, 'x'))).toBe(true);
    }
    for (const code of ['INVALID_INPUT', 'FORBIDDEN', 'PATIENT_NOT_FOUND'] as const) {
      expect(isRetryable(new RelaisError(code, 'x'))).toBe(false);
    }
  });

  it('maps write answers: 4xx → INVALID_INPUT, 429/5xx → PLATFORM_ERROR, 409/412 → CONFLICT, timeout → PLATFORM_UNREACHABLE', async () => {
    let status = 400;
    const server = createServer((req, res) => {
      if (status === 0) return; // never answers
      res.writeHead(status, { 'content-type': 'application/fhir+json' });
      res.end('{"resourceType":"OperationOutcome","issue":[]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
    const p = createFhirPlatform({ baseUrl: url, timeoutMs: 300 });
    const codeOf = async (s: number) => {
      status = s;
      try {
        await p.createBinary({ clientId: 'x/0', contentType: 'text/plain', data: new Uint8Array([1]) });
        return 'ok';
      } catch (e) {
        return (e as RelaisError).code;
      }
    };
    expect(await codeOf(400)).toBe('INVALID_INPUT');
    expect(await codeOf(422)).toBe('INVALID_INPUT');
    expect(await codeOf(404)).toBe('INVALID_INPUT');
    expect(await codeOf(429)).toBe('PLATFORM_ERROR');
    expect(await codeOf(503)).toBe('PLATFORM_ERROR');
    expect(await codeOf(409)).toBe('CONFLICT');
    expect(await codeOf(412)).toBe('CONFLICT');
    expect(await codeOf(0)).toBe('PLATFORM_UNREACHABLE');
    server.closeAllConnections();
    server.close();
  });
});

describe('idempotent create on the platform', () => {
  it('same client id twice → one DocumentReference, one Binary', async () => {
    const clientId = crypto.randomUUID();
    const bin1 = await platform.createBinary({ clientId: `${clientId}/0`, contentType: 'image/png', data: new Uint8Array([137, 80, 78, 71]) });
    const bin2 = await platform.createBinary({ clientId: `${clientId}/0`, contentType: 'image/png', data: new Uint8Array([137, 80, 78, 71]) });
    expect(bin2.id).toBe(bin1.id);
    const entry = {
      clientId,
      patientId,
      authorId: DEMO_GP_ID,
      kind: 'photo' as const,
      text: 'Plaie du talon : photo du jour.',
      date: new Date().toISOString(),
      attachments: [{ contentType: 'image/png', title: 'talon.png', url: bin1.url, size: 4 }],
    };
    const first = await platform.createJournalEntry(entry);
    const again = await platform.createJournalEntry(entry);
    expect(again.id).toBe(first.id);
    expect(await onPlatform(clientId)).toEqual([first.id]);
    expect(first).toMatchObject({ kind: 'photo', text: entry.text, author: { id: DEMO_GP_ID, roleLabel: expect.any(String) } });
    expect(first.author.name).toMatch(/DUFAU/);
    expect(first.attachments[0]?.url).toBe(`${sandbox.url}/Binary/${bin1.id}`);
  });
});

describe('outbox', () => {
  it('enqueues durably with an optimistic pending entry, then sends it and replaces it by the platform version', async () => {
    const events = new EventBus();
    const seen: RelaisEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const outbox = openOutbox(platform, events);
    const item = post(outbox, { patientId, kind: 'text', text: 'Vu ce jour, TA 13/8.' });
    expect(item).toMatchObject({ status: 'queued', attempts: 0, platformId: null, summary: 'Vu ce jour, TA 13/8.' });
    const store = new LocalStore(join(dir, 'store.db'));
    const pending = store.page(patientId, undefined, 5).entries[0]!;
    expect(pending).toMatchObject({ id: item.localEntryId, pending: true, text: 'Vu ce jour, TA 13/8.' });

    expect(await outbox.drain()).toBe(1);
    const sent = outbox.get(item.id)!;
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await onPlatform(item.id)).toEqual([sent.platformId]);
    const top = store.page(patientId, undefined, 5).entries[0]!;
    expect(top.id).toBe(sent.platformId);
    expect(top.pending).toBeUndefined();
    expect(store.page(patientId, undefined, 1000).entries.some((e) => e.id === item.localEntryId)).toBe(false);
    const statuses = seen
      .filter((e): e is Extract<RelaisEvent, { type: 'outbox-changed' }> => e.type === 'outbox-changed')
      .map((e) => e.items.find((i) => i.id === item.id)?.status);
    expect(statuses).toEqual(['queued', 'sending', 'sent']);
    store.close();
    outbox.close();
  });

  it('a lost response is retried and the platform still holds one resource', async () => {
    let lose = true;
    const lossy: Platform = {
      ...platform,
      createBinary: (b) => platform.createBinary(b),
      createJournalEntry: async (e) => {
        const created = await platform.createJournalEntry(e);
        if (lose) {
          lose = false;
          throw new RelaisError('PLATFORM_UNREACHABLE', 'socket hang up (after the platform created it)');
        }
        return created;
      },
    };
    let clock = 1_000_000;
    const outbox = openOutbox(lossy, new EventBus(), () => clock);
    const item = post(outbox, { patientId, kind: 'text', text: 'Réponse perdue en route.' });
    await outbox.drain();
    expect(outbox.get(item.id)).toMatchObject({ status: 'queued', attempts: 1, lastError: { code: 'PLATFORM_UNREACHABLE' } });
    // random 0.5 → half of the 1 s ceiling.
    expect(outbox.get(item.id)!.nextAttemptAt).toBe(new Date(clock + 500).toISOString());
    expect(await outbox.drain()).toBe(0); // not before its time
    clock += 500;
    await outbox.drain();
    expect(outbox.get(item.id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(await onPlatform(item.id)).toHaveLength(1);
    outbox.close();
  });

  it('marks a refused item failed-permanent and goes on with the next, in order', async () => {
    const sentOrder: string[] = [];
    const refusing: Platform = {
      ...platform,
      createBinary: (b) => platform.createBinary(b),
      createJournalEntry: async (e) => {
        if (e.text === 'refusé') throw new RelaisError('INVALID_INPUT', 'HTTP 422');
        sentOrder.push(e.text);
        return platform.createJournalEntry(e);
      },
    };
    const outbox = openOutbox(refusing);
    const a = post(outbox, { patientId, kind: 'text', text: 'un' });
    const b = post(outbox, { patientId, kind: 'text', text: 'refusé' });
    const c = post(outbox, { patientId, kind: 'text', text: 'trois' });
    await outbox.drain();
    expect(outbox.get(a.id)?.status).toBe('sent');
    expect(outbox.get(b.id)).toMatchObject({ status: 'failed-permanent', attempts: 1, lastError: { code: 'INVALID_INPUT' } });
    expect(outbox.get(c.id)?.status).toBe('sent');
    expect(sentOrder).toEqual(['un', 'trois']);
    // What was typed is still there: the item keeps its text, the journal its pending entry.
    expect(outbox.get(b.id)?.summary).toBe('refusé');
    outbox.close();
  });

  it('transient 503s from the sandbox are retried until it works', async () => {
    sandbox.setFaults({ errorRate: 1, pathPrefix: 'DocumentReference' });
    let clock = 5_000_000;
    const outbox = openOutbox(platform, new EventBus(), () => clock);
    const item = post(outbox, { patientId, kind: 'text', text: 'Plateforme en difficulté.' });
    await outbox.drain();
    expect(outbox.get(item.id)).toMatchObject({ status: 'queued', lastError: { code: 'PLATFORM_ERROR' } });
    sandbox.setFaults({});
    clock += 10_000;
    await outbox.drain();
    expect(outbox.get(item.id)?.status).toBe('sent');
    outbox.close();
  });

  it('resumes after a restart, including a row left in sending by a crash, without duplicating', async () => {
    const first = openOutbox(platform);
    const a = post(first, { patientId, kind: 'text', text: 'avant le plantage (envoyé, réponse perdue)' });
    const b = post(first, { patientId, kind: 'text', text: 'avant le plantage (jamais parti)' });
    first.close();
    // Simulate a crash after the request for `a` reached the platform but before `sent` was written.
    await platform.createJournalEntry({
      clientId: a.id,
      patientId,
      authorId: DEMO_GP_ID,
      kind: 'text',
      text: 'avant le plantage (envoyé, réponse perdue)',
      date: a.createdAt,
      attachments: [],
    });
    const db = new Database(join(dir, 'store.db'));
    db.prepare(`UPDATE outbox SET status = 'sending', attempts = 1 WHERE client_id = ?`).run(a.id);
    db.close();

    const events = new EventBus();
    const done = new Promise<OutboxItem[]>((resolve) =>
      events.subscribe((e) => {
        if (e.type === 'outbox-changed' && e.items.every((i) => i.status === 'sent')) resolve(e.items);
      }),
    );
    const second = openOutbox(platform, events);
    second.start();
    const items = await done;
    await second.stop();
    expect(items.map((i) => i.id)).toEqual([a.id, b.id]);
    expect(second.get(a.id)?.attempts).toBe(2);
    expect(await onPlatform(a.id)).toHaveLength(1);
    expect(await onPlatform(b.id)).toHaveLength(1);
    second.close();
  });

  it('a photo and a reply to it while both are pending: files uploaded then dropped from the row, the reply points at the platform id', async () => {
    const outbox = openOutbox(platform);
    const photo = post(outbox, {
      patientId,
      kind: 'photo',
      text: '',
      attachments: [{ contentType: 'image/png', title: 'talon.png', dataBase64: Buffer.from([137, 80, 78, 71]).toString('base64') }],
    });
    expect(photo.summary).toBe('talon.png');
    const reply = post(outbox, { patientId, kind: 'text', text: 'Vu, à surveiller.', replyTo: photo.localEntryId });
    expect(await outbox.drain()).toBe(2);
    const sentPhoto = outbox.get(photo.id)!;
    expect(sentPhoto.status).toBe('sent');
    expect(outbox.payloadOf(photo.id)).toMatchObject({ kind: 'photo', attachments: [{ title: 'talon.png', dataBase64: '' }] });
    const store = stores.at(-1)!;
    const [top, below] = store.page(patientId, undefined, 2).entries;
    expect(top).toMatchObject({ id: outbox.get(reply.id)!.platformId, replyTo: sentPhoto.platformId, text: 'Vu, à surveiller.' });
    expect(below).toMatchObject({ id: sentPhoto.platformId, kind: 'photo', attachments: [{ title: 'talon.png' }] });
    expect(top!.pending).toBeUndefined();
    outbox.close();
  });

  it('refuses an empty post, a file kind without a file and a reply to an entry of another journal', () => {
    const outbox = openOutbox(platform);
    expect(() => post(outbox, { patientId, kind: 'text', text: '   ' })).toThrow(/nothing to post/);
    expect(() => post(outbox, { patientId, kind: 'photo', text: 'photo' })).toThrow(/needs a file/);
    expect(() => post(outbox, { patientId, kind: 'text', text: 'réponse', replyTo: 'nowhere' })).toThrow(/not in this journal/);
    expect(outbox.list()).toEqual([]);
    outbox.close();
  });
});

describe('outbox writes of other kinds (registered writers)', () => {
  it('sends them in order with the journal entries, replaces the optimistic entry, retries transient failures', async () => {
    const outbox = openOutbox(platform);
    const calls: Array<{ payload: unknown; clientId: string }> = [];
    let failOnce = true;
    outbox.registerWriter('prescription', async (payload, { clientId, patientId: pid }) => {
      calls.push({ payload, clientId });
      if (failOnce) {
        failOnce = false;
        throw new RelaisError('PLATFORM_UNREACHABLE', 'network down');
      }
      const entry = await platform.createJournalEntry({
        clientId,
        patientId: pid,
        authorId: professional.id,
        kind: 'text',
        text: 'Ordonnance : 1 ligne',
        date: new Date().toISOString(),
        attachments: [],
      });
      return { platformId: `MedicationRequest/${clientId}`, entry };
    });
    const first = post(outbox, { patientId, kind: 'text', text: 'avant' });
    const write = outbox.enqueue({
      kind: 'prescription',
      patientId,
      payload: { lines: ['amoxicilline'], attachments: [{ title: 'scan.pdf', dataBase64: 'JVBERi0=' }] },
      summary: 'Ordonnance : 1 ligne',
      optimistic: { kind: 'text', text: 'Ordonnance : 1 ligne' },
    });
    expect(write.kind).toBe('prescription');
    expect(outbox.payloadOf(write.id)).toEqual({ lines: ['amoxicilline'], attachments: [{ title: 'scan.pdf', dataBase64: 'JVBERi0=' }] });
    const store = new LocalStore(join(dir, 'store.db'));
    expect(store.page(patientId, undefined, 5).entries.map((e) => [e.id, e.pending])).toContainEqual([write.localEntryId, true]);

    await outbox.drain(); // the journal entry goes, the prescription fails once and waits
    expect(outbox.get(first.id)?.status).toBe('sent');
    expect(outbox.get(write.id)?.status).toBe('queued');
    outbox.retryNow();
    await outbox.drain();
    const sent = outbox.get(write.id)!;
    expect(sent.status).toBe('sent');
    expect(sent.platformId).toBe(`MedicationRequest/${write.id}`);
    expect(calls.map((c) => c.clientId)).toEqual([write.id, write.id]);
    // Sent: the record stays, the file's bytes do not.
    expect(outbox.payloadOf(write.id)).toEqual({ lines: ['amoxicilline'], attachments: [{ title: 'scan.pdf', dataBase64: '' }] });
    const ids = store.page(patientId, undefined, 5).entries.map((e) => e.id);
    expect(ids).not.toContain(write.localEntryId);
    store.close();
    outbox.close();
  });

  it('« Réessayer » queues a refused item again and sends it; « Modifier » discards one for good, across a restart', async () => {
    let refuse = true;
    const flaky: Platform = {
      ...platform,
      createBinary: (b) => platform.createBinary(b),
      createJournalEntry: async (e) => {
        if (refuse) throw new RelaisError('INVALID_INPUT', 'HTTP 422');
        return platform.createJournalEntry(e);
      },
    };
    let outbox = openOutbox(flaky);
    const a = post(outbox, { patientId, kind: 'text', text: 'à renvoyer' });
    const b = post(outbox, { patientId, kind: 'text', text: 'à reprendre' });
    await outbox.drain();
    expect(outbox.get(a.id)?.status).toBe('failed-permanent');
    expect(outbox.get(b.id)?.status).toBe('failed-permanent');
    // Only a refused item can be retried or discarded.
    expect(outbox.retry('00000000-0000-4000-8000-000000000000')).toBeNull();

    refuse = false;
    expect(outbox.retry(a.id)).toMatchObject({ status: 'queued', lastError: null });
    await outbox.drain();
    expect(outbox.get(a.id)?.status).toBe('sent');
    expect(await onPlatform(a.id)).toHaveLength(1);
    expect(outbox.retry(a.id)).toBeNull();
    expect(outbox.discard(a.id)).toBeNull();

    expect(outbox.discard(b.id)).toMatchObject({ text: 'à reprendre' });
    expect(outbox.get(b.id)).toBeNull();
    const store = stores.at(-1)!;
    expect(store.page(patientId, undefined, 50).entries.some((e) => e.id === b.localEntryId)).toBe(false);
    outbox.close();

    // A restart: the discarded item does not come back, the sent one stays sent.
    outbox = openOutbox(flaky);
    expect(outbox.get(b.id)).toBeNull();
    expect(outbox.list(patientId).map((i) => i.id)).not.toContain(b.id);
    expect(outbox.get(a.id)?.status).toBe('sent');
    outbox.close();
  });

  it('« Modifier » on a refused referral: its form comes back, the new one replaces it in one transaction, only the new one is sent', async () => {
    let refuse = true;
    const sent: Array<{ clientId: string; reason: unknown }> = [];
    let outbox = openOutbox(platform);
    outbox.registerWriter('referral', async (payload, { clientId }) => {
      if (refuse) throw new RelaisError('INVALID_INPUT', 'HTTP 422');
      sent.push({ clientId, reason: (payload as { reason: unknown }).reason });
      return { platformId: `ServiceRequest/${clientId}` };
    });
    const form = { recipient: { kind: 'care-team', memberId: 'role-ide' }, reason: 'Pansement', urgency: 'routine' };
    const old = outbox.enqueue({ kind: 'referral', patientId, payload: { reason: 'Pansement', form }, summary: 'Adressage', optimistic: { kind: 'referral', text: 'Adressage' } });
    // Queued or sending: not offered for modification (it is on its way).
    expect(outbox.formOf(old.id)).toBeNull();
    await outbox.drain();
    expect(outbox.get(old.id)?.status).toBe('failed-permanent');
    expect(outbox.formOf(old.id)).toEqual({ kind: 'referral', form });

    // Only a refused item of the same kind and patient can be replaced; nothing is written otherwise.
    const other = { kind: 'referral' as const, patientId, payload: { reason: 'x' }, summary: 'Adressage' };
    expect(() => outbox.enqueue({ ...other, kind: 'admission-request', replaces: old.id })).toThrow(RelaisError);
    expect(() => outbox.enqueue({ ...other, patientId: 'another-patient', replaces: old.id })).toThrow(RelaisError);
    expect(outbox.list(patientId).map((i) => i.id)).toEqual([old.id]);

    refuse = false;
    const edited = outbox.enqueue({
      kind: 'referral',
      patientId,
      payload: { reason: 'Pansement quotidien', form: { ...form, reason: 'Pansement quotidien' } },
      summary: 'Adressage',
      optimistic: { kind: 'referral', text: 'Adressage modifié' },
      replaces: old.id,
    });
    expect(outbox.get(old.id)).toBeNull();
    const store = stores.at(-1)!;
    const ids = store.page(patientId, undefined, 50).entries.map((e) => e.id);
    expect(ids).toContain(edited.localEntryId);
    expect(ids).not.toContain(old.localEntryId);
    // A second « Modifier » of the same refused item (another window) finds it gone.
    expect(() => outbox.enqueue({ ...other, replaces: old.id })).toThrow(/no longer a refused item/);
    outbox.close();

    // Across a restart the old one stays gone; the worker sends only the modified one, once.
    outbox = openOutbox(platform);
    outbox.registerWriter('referral', async (payload, { clientId }) => {
      sent.push({ clientId, reason: (payload as { reason: unknown }).reason });
      return { platformId: `ServiceRequest/${clientId}` };
    });
    await outbox.drain();
    expect(sent).toEqual([{ clientId: edited.id, reason: 'Pansement quotidien' }]);
    expect(outbox.get(edited.id)?.status).toBe('sent');
    expect(outbox.formOf(edited.id)).toBeNull();
    outbox.close();
  });

  it('a PermanentWriteFailure (e.g. 412 on If-Match) is not retried and keeps the payload', async () => {
    const { PermanentWriteFailure } = await import('./outbox');
    const outbox = openOutbox(platform);
    outbox.registerWriter('pps-update', async () => {
      throw new PermanentWriteFailure(new RelaisError('CONFLICT', 'precondition failed'));
    });
    const item = outbox.enqueue({ kind: 'pps-update', patientId, payload: { goals: ['marcher 20 min'] }, summary: 'PPS' });
    await outbox.drain();
    const failed = outbox.get(item.id)!;
    expect(failed.status).toBe('failed-permanent');
    expect(failed.lastError?.code).toBe('CONFLICT');
    expect(outbox.payloadOf(item.id)).toEqual({ goals: ['marcher 20 min'] });
    outbox.close();
  });
});
