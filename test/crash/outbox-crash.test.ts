/**
 * Crash test of the outbox (docs/outbox.md): a child process posts 200 entries while the sandbox
 * answers 10 % of requests with 503; the parent SIGKILLs it at seeded random moments, restarts it
 * until the outbox is drained, then counts on the platform. Nothing lost, nothing twice.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { Prng } from '../../sandbox/seed/prng';

const ROOT = join(import.meta.dirname, '..', '..');
const SUBMITTED = 200;
/** SIGKILLs aimed at a running child; each lands 30–450 ms after it is ready (enqueueing or sending). */
const KILLS = 12;
const PATIENT = 'pat-bench-500';

let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'relais-crash-'));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; drained: boolean }>;
}

function runChild(): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/crash/outbox-child.ts'), sandbox.url, dataDir, PATIENT, String(SUBMITTED)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    if (out.includes('READY')) onReady();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; drained: boolean }>((resolve) =>
    child.on('exit', (code, signal) => {
      onReady();
      if (code !== 0 && signal === null) console.error(`[crash child] exit ${code}\n${err}`);
      resolve({ code, signal, drained: out.includes('DRAINED') });
    }),
  );
  return { child, ready, exited };
}

describe('outbox crash safety', () => {
  // ~20 s alone on 2 cores; the generous timeout is for a loaded CI machine (no timing is asserted).
  it('200 posts, 10 % platform faults, SIGKILLs at random moments: none lost, none duplicated', { timeout: 240_000 }, async () => {
    // 25 ms per request: a run sends at most ~20 posts before its kill (30–450 ms), so the 200 cannot
    // all drain before the kills are done, however fast the machine (an idle one once drained them
    // after 7 kills).
    sandbox.setFaults({ errorRate: 0.1, latencyMs: 25 });
    const rng = new Prng(20261120);
    let kills = 0;
    let restarts = 0;
    let attemptsWithoutKill = 0;
    for (;;) {
      const run = runChild();
      restarts++;
      if (kills < KILLS && attemptsWithoutKill === 0) {
        await run.ready;
        const delay = 30 + Math.floor(rng.next() * 420);
        const timer = setTimeout(() => {
          if (run.child.exitCode === null) run.child.kill('SIGKILL');
        }, delay);
        const r = await run.exited;
        clearTimeout(timer);
        if (r.signal === 'SIGKILL') kills++;
        else attemptsWithoutKill++;
        if (r.drained) break;
        continue;
      }
      const r = await run.exited;
      expect(r.code).toBe(0);
      if (r.drained) break;
    }

    // Count on the platform (no more faults for the parent's own reads).
    sandbox.setFaults({});
    const seen = new Map<number, number>();
    let url: string | undefined = `${sandbox.url}/DocumentReference?subject=Patient/${PATIENT}&_count=1000`;
    while (url) {
      const bundle = (await (await fetch(url)).json()) as {
        entry?: { resource: { identifier?: { system?: string }[]; content?: { attachment: { data?: string } }[] } }[];
        link?: { relation: string; url: string }[];
      };
      for (const e of bundle.entry ?? []) {
        if (!e.resource.identifier?.some((i) => i.system === 'https://relais.example/fhir/NamingSystem/client-id')) continue;
        const text = Buffer.from(e.resource.content?.[0]?.attachment.data ?? '', 'base64').toString('utf8');
        const n = Number(/n°(\d+)$/.exec(text)?.[1]);
        seen.set(n, (seen.get(n) ?? 0) + 1);
      }
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
    const db = new Database(join(dataDir, 'profiles', DEMO_GP_RPPS, 'store.db'), { readonly: true });
    const rows = db.prepare(`SELECT json_extract(payload, '$.text') AS text, status, attempts FROM outbox`).all() as { text: string; status: string; attempts: number }[];
    db.close();
    const enqueued = rows.map((r) => Number(/n°(\d+)$/.exec(r.text)?.[1]));
    const submitted = new Set(enqueued).size;
    const onPlatform = seen.size;
    const duplicates = [...seen.values()].reduce((s, c) => s + c - 1, 0);
    const lost = [...new Set(enqueued)].filter((n) => !seen.has(n)).length;
    const attempts = rows.reduce((s, r) => s + r.attempts, 0);
    console.log(JSON.stringify({ submitted, onPlatform, duplicates, lost, kills, restarts, attempts }));
    expect(enqueued).toHaveLength(SUBMITTED); // each number enqueued exactly once across restarts
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(onPlatform).toBe(SUBMITTED);
    expect(submitted).toBe(SUBMITTED);
    expect(kills).toBeGreaterThanOrEqual(8);
    expect(attemptsWithoutKill).toBeLessThanOrEqual(1);
  });
});
