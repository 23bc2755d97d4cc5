/**
 * Issue 17 item 7: the platform load of idle installs. Every request is counted (and timed) at a
 * loopback proxy in front of the sandbox (test/support/request-counter.ts).
 *
 * - `steady-requests-per-min-300-patients`: one install (real composeCore, hosts' defaults)
 *   following 300 patients (the seed's 24, completed with copies). After the first pass (alert
 *   baseline, first syncs), each sample is one steady cycle run now: the requests it sent × the
 *   cycles per minute of the configured interval (STEADY_CYCLE_MS), plus the followed list's
 *   requests × its refreshes per minute (FOLLOWED_REFRESH_MS). Counted per cycle, not over a
 *   60-second wall-clock window.
 * - `sim-1000-installs-platform-p95`: 1,000 simulated installs, each a distinct professional's
 *   300 patients (drawn from a pool of 3,000), each asking its steady-state question once
 *   (ceil(300/100) = 3 batch requests, through the real FHIR adapter) at a random point of a
 *   cycle compressed from 60 s to SIM_WINDOW_MS, at most SIM_CONCURRENCY installs at once. The
 *   row gives the latency the proxy sees (median, p95) and the request rate reached; sandbox,
 *   proxy and clients share one Node process on this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCore } from '../main/compose';
import { FOLLOWED_REFRESH_MS, STEADY_CYCLE_MS } from '../main/features/journal/background-sync';
import { createFhirPlatform } from '../main/platform/fhir/index';
import type { Platform } from '../main/platform/port';
import { DEMO_GP_RPPS } from '../sandbox/seed/index';
import type { Sandbox } from '../sandbox/server';
import { seedFollowedPatients } from '../test/support/followed-patients';
import { startRequestCounter } from '../test/support/request-counter';
import { summarise, type BenchResult } from './harness';

const FOLLOWED = 300;
const CYCLES = 10;
const INSTALLS = 1_000;
const POOL = 3_000;
/** The 60-second cycle of the 1,000 installs, compressed into this window. */
const SIM_WINDOW_MS = 30_000;
/** Installs asking at the same moment, at most (a bound on the simulation, not on the platform). */
const SIM_CONCURRENCY = 32;

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Deterministic PRNG (mulberry32): the same installs, patients and clocks on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchSteadyLoad(sandbox: Sandbox): Promise<BenchResult[]> {
  const counter = await startRequestCounter(sandbox.url);
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-steady-'));
  const results: BenchResult[] = [];
  let pool: string[] = [];
  try {
    // ── One install, 300 followed patients, the hosts' intervals.
    const comp = await composeCore({ platformUrl: counter.url, dataDir: dir, rpps: DEMO_GP_RPPS, demo: true });
    try {
      const seedFollowed = (await comp.core.handlers['patient.list']({})).length;
      await seedFollowedPatients(sandbox, FOLLOWED - seedFollowed);
      comp.core.background.start();
      comp.core.alerts.start();
      await comp.core.background.runOnce(); // the first pass: baseline and first syncs
      counter.reset();
      const followed = await comp.core.handlers['patient.list']({});
      const listRequests = counter.requests.length;
      if (followed.length !== FOLLOWED)
        throw new Error(`steady bench: ${followed.length} followed patients, not ${FOLLOWED}`);
      pool = followed.map((p) => p.id);
      const perCycle: number[] = [];
      for (let i = 0; i < CYCLES; i++) {
        counter.reset();
        await comp.core.background.runOnce();
        perCycle.push(counter.requests.length);
      }
      const perMin = perCycle.map((n) =>
        round((n * 60_000) / STEADY_CYCLE_MS + (listRequests * 60_000) / FOLLOWED_REFRESH_MS),
      );
      results.push({
        ...summarise('steady-requests-per-min-300-patients', perMin),
        unit: 'requests/min',
        note:
          `method: requests counted at a proxy per steady cycle (${perCycle.join(', ')}) × ${60_000 / STEADY_CYCLE_MS} cycles/min ` +
          `(STEADY_CYCLE_MS ${STEADY_CYCLE_MS}) + the followed list (${listRequests} requests) × ${60_000 / FOLLOWED_REFRESH_MS} refreshes/min; ` +
          `not a wall-clock window; nothing changed on the platform during the cycles; goal ≤ 4`,
      });
    } finally {
      await comp.core.alerts.stop();
      await comp.close();
    }

    // ── 1,000 simulated installs against the same sandbox.
    pool.push(...(await seedFollowedPatients(sandbox, POOL - pool.length, { first: 10_000 })));
    const rnd = prng(17);
    const now = Date.now();
    const installs = Array.from({ length: INSTALLS }, () => {
      const picked = new Set<string>();
      while (picked.size < FOLLOWED) picked.add(pool[Math.floor(rnd() * pool.length)]!);
      // Its last cycle ended up to one cycle ago: a steady-state `since`, in the platform's clock.
      const since = new Date(now - Math.floor(rnd() * STEADY_CYCLE_MS)).toISOString();
      return { patients: [...picked].map((id) => ({ id, since })), alertsSince: since, at: rnd() * SIM_WINDOW_MS };
    }).sort((a, b) => a.at - b.at);
    const clients: Platform[] = Array.from({ length: SIM_CONCURRENCY }, () =>
      createFhirPlatform({ baseUrl: counter.url }),
    );
    counter.reset();
    const t0 = performance.now();
    let next = 0;
    let late = 0;
    let clientErrors = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (next < installs.length) {
          const install = installs[next++]!;
          const wait = install.at - (performance.now() - t0);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          else if (wait < -100) late++;
          // A failed question is counted, not fatal: the row says how many.
          await client.changesAmong!(install).catch(() => clientErrors++);
        }
      }),
    );
    const elapsed = performance.now() - t0;
    const latencies = counter.requests.map((r) => r.ms);
    const failed = counter.requests.filter((r) => r.status !== 200).length + clientErrors;
    const rate = round((counter.requests.length * 1000) / elapsed);
    const compression = round(STEADY_CYCLE_MS / SIM_WINDOW_MS);
    const offered = round((counter.requests.length * 1000) / SIM_WINDOW_MS);
    const kept = rate >= 0.95 * offered ? 'the sandbox kept up with the offered rate' : 'reached < offered: the sandbox saturated and the latency includes queueing';
    results.push({
      ...summarise('sim-1000-installs-platform-p95', latencies),
      requestRate: rate,
      requests: counter.requests.length,
      failed,
      elapsedMs: round(elapsed),
      note:
        `${INSTALLS} installs × ${FOLLOWED} patients (pool ${pool.length}), one steady cycle each = ${counter.requests.length} batch requests ` +
        `in ${Math.round(elapsed)} ms → ${rate} req/s reached, ${offered} req/s offered ` +
        `(real time: ${round((INSTALLS * Math.ceil(FOLLOWED / 100) * 1000) / STEADY_CYCLE_MS)} req/s; ${kept}; ` +
        `time compressed ${compression}×, window ${SIM_WINDOW_MS} ms, ≤ ${SIM_CONCURRENCY} installs at once, ${late} started > 100 ms late, ${failed} failed); ` +
        `latency = proxy-observed per request; sandbox, proxy and clients in one Node process`,
    });
  } finally {
    await counter.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
