/**
 * What happens between a cached launch and the journal's paint, at panel width (issue 12): the
 * API calls the window sends over its socket in that interval (which feature asks what), the
 * long tasks, and when the first journal page answers. A diagnosis tool beside the
 * launch-to-paint benchmark; prints JSON. `npx tsx bench/profile-launch-to-paint.ts [launches]`
 * PROFILE_CPU=1: inclusive CPU time per function; TRACE=1: the renderer's main-thread trace
 * events summed (script, layout, paint); SETTLE=<ms>: the pause between two launches (300);
 * FORGET=1: uncached launches; TIMELINE=1 (with TRACE=1): the main thread's tasks, launch by launch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchContext, Patient } from '../contract';
import { runWebHost } from '../main/web/run-web-host';
import { startSandbox } from '../sandbox/server';
import { startSandboxProcess } from './sandbox-process';
import { BENCH_PATIENT_500, DEMO_GP_RPPS } from '../sandbox/seed/index';
import { launchChromium } from '../test/support/chromium';

const contextOf = (p: Patient): LaunchContext => ({ ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex });
const epochNow = () => performance.timeOrigin + performance.now();

const launches = Number(process.argv[2] ?? 12);
const width = Number(process.env.PROFILE_WIDTH ?? 400);
// SANDBOX_PROCESS=1: the platform in a process of its own, as the launch-to-paint benchmark runs it.
const sandbox = process.env.SANDBOX_PROCESS ? await startSandboxProcess(1) : await startSandbox({ port: 0, seed: 1 });
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
  // In-page clocks for the socket (Playwright's websocket events reach Node late, through CDP).
  await page.addInitScript(`(() => {
    const Native = window.WebSocket;
    window.__ws = [];
    window.WebSocket = class extends Native {
      constructor(...a) {
        super(...a);
        this.addEventListener('message', (e) => { try { const m = JSON.parse(e.data); if (m.id !== undefined) window.__ws.push({ dir: 'in', id: m.id, at: performance.timeOrigin + performance.now() }); } catch {} });
      }
      send(d) { try { const m = JSON.parse(d); if (m.method) window.__ws.push({ dir: 'out', id: m.id, method: m.method, at: performance.timeOrigin + performance.now() }); } catch {} return super.send(d); }
    };
  })()`);
  // The core's own time on journal.page (handler entered → answer ready).
  const handlerTimes: Array<{ start: number; end: number }> = [];
  const handlers = host.composition.core.handlers as unknown as Record<string, (r: unknown) => Promise<unknown>>;
  const original = handlers['journal.page']!;
  handlers['journal.page'] = async (r) => {
    const start = epochNow();
    const out = await original(r);
    handlerTimes.push({ start, end: epochNow() });
    return out;
  };
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
    // FORGET=1: the uncached launch (journal forgotten first, as launch-to-paint-uncached does).
    if (process.env.FORGET) host.composition.store.forgetJournal(p.id);
    else await core.journal.sync(p.id);
    const settle = Number(process.env.SETTLE ?? 300);
    if (settle > 0) await page.waitForTimeout(settle); // what the previous launch started settles
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
      if (process.env.TIMELINE) {
        // The renderer's main thread task by task (ms from the launch): where the wait is.
        const mark = ev.find((e) => e.name === 'relais:journal-painted');
        const paintTs = mark?.ts ?? 0;
        const zero = paintTs - (painted - t0) * 1000;
        const top: Array<{ ts: number; dur: number; name: string }> = [];
        for (const e of ev
          .filter((e) => e.tid === main && e.ph === 'X' && (e.dur ?? 0) > 200 && e.ts >= zero && e.ts <= paintTs && !e.name.startsWith('V8.'))
          .sort((x, y) => x.ts - y.ts)) {
          const last = top[top.length - 1];
          if (last && e.ts < last.ts + last.dur) continue; // nested in the previous one
          top.push({ ts: e.ts, dur: e.dur ?? 0, name: e.name });
        }
        const tasks = top.map((e) => `${((e.ts - zero) / 1000).toFixed(1)}+${(e.dur / 1000).toFixed(1)} ${e.name}`);
        console.error(`launch ${i}: total ${Math.round(painted - t0)}\n  ${tasks.join('\n  ')}`);
      }
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
    const ws = (await page.evaluate(`window.__ws.splice(0)`)) as Array<{ dir: string; id: number; method?: string; at: number }>;
    const out = [...ws].reverse().find((w) => w.dir === 'out' && w.method === 'journal.page' && w.at <= painted);
    const back = out && ws.find((w) => w.dir === 'in' && w.id === out.id);
    const h = handlerTimes.splice(0).filter((x) => x.start >= t0 && x.start <= painted).at(-1);
    if (i >= 2) {
      rows.push({
        inPage: out ? { sent: Math.round(out.at - t0), handlerStart: h ? Math.round(h.start - t0) : null, handlerEnd: h ? Math.round(h.end - t0) : null, answered: back ? Math.round(back.at - t0) : null } : null,
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
  const top = [...selfTime.entries()].sort((x, y) => y[1] - x[1]).slice(0, Number(process.env.TOP ?? 60)).map(([k, ms]) => `${Math.round(ms / launches)} ms  ${k}`);
  const trace = [...traceSum.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25).map(([k, v]) => `${(v / launches).toFixed(1)} ms  ${k}`);
  console.log(JSON.stringify({ width, launches, p50: totals[Math.floor(totals.length / 2)], max: totals.at(-1), rows, inclusiveTimePerLaunch: top, tracePerLaunch: trace }, null, 1));
} finally {
  await browser.close();
  await host.stop();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
}
