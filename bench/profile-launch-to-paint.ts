/**
 * What happens between a cached launch and the journal's paint, at panel width (issue 12): the
 * API calls the window sends over its socket in that interval (which feature asks what), the
 * long tasks, and when the first journal page answers. A diagnosis tool beside the
 * launch-to-paint benchmark; prints JSON. `npx tsx bench/profile-launch-to-paint.ts [launches]`
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
  for (let i = 0; i < launches + 2; i++) {
    const p = i % 2 === 0 ? a : b;
    await core.journal.sync(p.id);
    await page.waitForTimeout(300); // what the previous launch started settles
    const before = (await page.evaluate(`performance.getEntriesByName('relais:journal-painted').length`)) as number;
    const from = sent.length;
    if (cdp) await cdp.send('Profiler.start');
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
    if (cdp && i >= 2) {
      const { profile } = await cdp.send('Profiler.stop');
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const deltas = profile.timeDeltas ?? [];
      (profile.samples ?? []).forEach((id, k) => {
        const f = byId.get(id)!.callFrame;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
        selfTime.set(key, (selfTime.get(key) ?? 0) + (deltas[k + 1] ?? 0) / 1000);
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
        longTasks: longTasks.map((t) => Math.round(t.duration)),
      });
    }
  }
  const totals = (rows as Array<{ total: number }>).map((r) => r.total).sort((x, y) => x - y);
  const top = [...selfTime.entries()].sort((x, y) => y[1] - x[1]).slice(0, 40).map(([k, ms]) => `${Math.round(ms / launches)} ms  ${k}`);
  console.log(JSON.stringify({ width, launches, p50: totals[Math.floor(totals.length / 2)], max: totals.at(-1), rows, selfTimePerLaunch: top }, null, 1));
} finally {
  await browser.close();
  await host.stop();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
}
