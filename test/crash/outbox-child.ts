/**
 * Child process of the outbox crash test (test/crash/outbox-crash.test.ts): composes the core on
 * a data dir, posts entries n°1..N through journal.post (each number enqueued once, even across
 * restarts: what is already in the outbox is not posted again), waits until the outbox is
 * drained, prints DRAINED and exits. The parent SIGKILLs it at random moments.
 *   node --import tsx test/crash/outbox-child.ts <platformUrl> <dataDir> <patientId> <count>
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { composeCore, type Composition } from '../../main/compose';
import { DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { createFhirPlatform } from '../../main/platform/fhir/index';

const [platformUrl, dataDir, patientId, countArg] = process.argv.slice(2);
if (!platformUrl || !dataDir || !patientId || !countArg) throw new Error('usage: outbox-child <platformUrl> <dataDir> <patientId> <count>');
const count = Number(countArg);
const textOf = (n: number) => `Entrée crash-test n°${n}`;

async function retry<T>(f: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await f();
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

const platform = createFhirPlatform({ baseUrl: platformUrl, timeoutMs: 2_000 });
const composition: Composition = await retry(() =>
  composeCore({ platformUrl, platform, dataDir, rpps: DEMO_GP_RPPS, demo: true, outboxBackoff: { baseMs: 20, capMs: 400 } }),
);
const { core, store } = composition;
const dbPath = join(dataDir, 'profiles', DEMO_GP_RPPS, 'store.db');
if (!store.getPatient(patientId)) store.upsertPatient(await retry(() => platform.getPatient(patientId)));
process.stdout.write('READY\n');

// What a previous (killed) run already put in the outbox is not posted again.
const db = new Database(dbPath, { readonly: true });
const already = new Set(
  (db.prepare(`SELECT json_extract(payload, '$.text') FROM outbox`).pluck().all() as string[]).map((t) => Number(/n°(\d+)$/.exec(t)?.[1])),
);
db.close();
for (let n = 1; n <= count; n++) {
  if (already.has(n)) continue;
  const r = await composition.dispatch('journal.post', { patientId, kind: 'text', text: textOf(n) });
  if (!r.ok) throw new Error(`journal.post n°${n}: ${r.error.code} ${r.error.message}`);
}
process.stdout.write('ENQUEUED\n');

for (;;) {
  const c = core.outbox.counts();
  if (c.queued + c.sending === 0) {
    process.stdout.write(`DRAINED ${JSON.stringify(c)}\n`);
    break;
  }
  await new Promise((r) => setTimeout(r, 25));
}
await composition.close();
process.exit(0);
