/**
 * What happens between a cached launch and the journal's paint, at panel width (issue 12): the
 * API calls the window sends over its socket in that interval (which feature asks what), the
 * long tasks, and when the first journal page answers. A diagnosis tool beside the
 * launch-to-paint benchmark; prints JSON. `npx tsx bench/profile-launch-to-paint.ts [launches]`
 * PROFILE_CPU=1: inclusive CPU time per function; TRACE=1: the renderer's main-thread trace
 * events summed (script, layout, paint); SETTLE=<ms>: the pause between two launches (300).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchContext, Patient } from '../contract';
import { runWebHost } from '../main/web/run-web-host';
import { startSandbox } from '../sandbox/server';
import { BENCH_PATIENT_500, DEMO_GP_RPPS } from '../sandbox/seed/index';
import { launchChromium } from '../test/support/chromium';

const contextOf = (p: Patient): LaunchContext => ({ ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex });
const epochNow = () => performance.timeOrigin + performance.now();

const launches = Number(process.argv[2] ?? 12);
const width = Number(process.env.PROFILE_WIDTH ?? 400);
const sandbox = await startSandbox({ port: 0, seed: 1 });
const dataDir = mkdtempSync(join(tmpdir(), 'relais-profile-'));
const browser = await launchChromium();
const host = await runWebHost({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true, port: 0 });
try {
  const { core } = host.composition;
  const list = await core.handlers['patient.list']({});
  const a = list.find((p) => p.id === BENCH_PATIENT_500.id)!;
  const b = [...list].filter((p) => p.ins && p.id !== a.id && !p.id.includes('10k')).sort((x, y) => y.id.localeCompare(x.id))[0]!;
  const page = await (await browser.newContext({ viewport: { width, height: 800 } })).newPage();
  // Every call the window sends, with the page's clock.
  const sent: Array<{ at: number; method: string }> = [];
  const answered = new Map<number, number>();
  const ids = new Map<number, string>();
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      try {
        const m = JSON.parse(String(f.payload)) as { id?: number; method?: string };
        if (m.method) {
          sent.push({ at: epochNow(), method: m.method });
          if (m.id !== undefined) ids.set(m.id, m.method);
        }
      } catch {
        /* not JSON */
      }
    });
    ws.on('framereceived', (f) => {
      try {
        const m = JSON.parse(String(f.payload)) as { id?: number };
        if (m.id !== undefined) answered.set(m.id, epochNow());
      } catch {
        /* not JSON */
      }
    });
  });
  await page.goto(host.web.url);
  await page.getByTestId('patient-list').waitFor();
  await page.evaluate(`(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  })()`);

  // PROFILE_CPU=1: a CPU profile of the page around each launch, self time summed by function
  // (build the renderer without minifying to read the names: `npx vite build --minify false`).
  const cdp = process.env.PROFILE_CPU ? await page.context().newCDPSession(page) : null;
  const selfTime = new Map<string, number>();
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  const rows: unknown[] = [];
  const traceSum = new Map<string, number>();
  for (let i = 0; i < launches + 2; i++) {
    const p = i % 2 === 0 ? a : b;
    await core.journal.sync(p.id);
    await page.waitForTimeout(Number(process.env.SETTLE ?? 300)); // what the previous launch started settles
    const before = (await page.evaluate(`performance.getEntriesByName('relais:journal-painted').length`)) as number;
    const from = sent.length;
    if (cdp) await cdp.send('Profiler.start');
    if (process.env.TRACE && i >= 2) await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing'] });
    const t0 = epochNow();
    void core.launch(contextOf(p), 'profile');
    const painted = (await (
      await page.waitForFunction(
        (n) => {
          const m = performance.getEntriesByName('relais:journal-painted');
          return m.length > n ? performance.timeOrigin + m[m.length - 1]!.startTime : false;
        },
        before,
        { polling: 'raf', timeout: 30_000 },
      )
    ).jsonValue()) as number;
    if (process.env.TRACE && i >= 2) {
      const buf = await browser.stopTracing();
      const ev = (JSON.parse(buf.toString()) as { traceEvents: Array<{ name: string; ph: string; dur?: number; ts: number; tid: number }> }).traceEvents;
      const main = ev.find((e) => e.name === 'relais:journal-painted')?.tid;
      for (const e of ev) if (e.ph === 'X' && e.dur && e.tid === main) traceSum.set(e.name, (traceSum.get(e.name) ?? 0) + e.dur / 1000);
    }
    if (cdp && i >= 2) {
      const { profile } = await cdp.send('Profiler.stop');
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const deltas = profile.timeDeltas ?? [];
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      (profile.samples ?? []).forEach((id, k) => {
        const seen = new Set<string>();
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
          const f = byId.get(cur)!.callFrame;
          const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
          if (seen.has(key)) continue;
          seen.add(key);
          selfTime.set(key, (selfTime.get(key) ?? 0) + (deltas[k + 1] ?? 0) / 1000);
        }
      });
    } else if (cdp) await cdp.send('Profiler.stop');
    const received = (await page.evaluate(`(() => { const m = performance.getEntriesByName('relais:launch-received'); return performance.timeOrigin + m[m.length - 1].startTime; })()`)) as number;
    const longTasks = ((await page.evaluate(`window.__longTasks.splice(0)`)) as Array<{ start: number; duration: number }>).filter((t) => t.start >= t0 && t.start <= painted);
    const calls = sent.slice(from).filter((c) => c.at <= painted);
    const pageCall = [...ids.entries()].reverse().find(([, m]) => m === 'journal.page');
    if (i >= 2) {
      rows.push({
        total: Math.round(painted - t0),
        toEvent: Math.round(received - t0),
        journalPageAnswered: pageCall && answered.get(pageCall[0]) ? Math.round(answered.get(pageCall[0])! - t0) : null,
        callsBeforePaint: calls.map((c) => c.method),
        callsAfterLaunch: sent.slice(from).map((c) => c.method),
        longTasks: longTasks.map((t) => Math.round(t.duration)),
      });
    }
  }
  const totals = (rows as Array<{ total: number }>).map((r) => r.total).sort((x, y) => x - y);
  const top = [...selfTime.entries()].sort((x, y) => y[1] - x[1]).slice(0, 60).map(([k, ms]) => `${Math.round(ms / launches)} ms  ${k}`);
  const trace = [...traceSum.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25).map(([k, v]) => `${(v / launches).toFixed(1)} ms  ${k}`);
  console.log(JSON.stringify({ width, launches, p50: totals[Math.floor(totals.length / 2)], max: totals.at(-1), rows, inclusiveTimePerLaunch: top, tracePerLaunch: trace }, null, 1));
} finally {
  await browser.close();
  await host.stop();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
}
