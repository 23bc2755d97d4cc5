import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchContext, Patient } from '../contract';
import { runWebHost } from '../main/web/run-web-host';
import { BENCH_PATIENT_500, DEMO_GP_RPPS } from '../sandbox/seed/index';
import { launchChromium } from '../test/support/chromium';
import { startSandboxProcess } from '../bench/sandbox-process';
const contextOf = (p: Patient): LaunchContext => ({ ins: p.ins!, birthName: p.birthName, firstNames: p.firstNames, birthDate: p.birthDate, sex: p.sex });
const epochNow = () => performance.timeOrigin + performance.now();
const n = Number(process.argv[2] ?? 50);
const sandbox = await startSandboxProcess(1);
const dataDir = mkdtempSync(join(tmpdir(), 'relais-diag-'));
const browser = await launchChromium();
const host = await runWebHost({ platformUrl: sandbox.url, dataDir, rpps: DEMO_GP_RPPS, demo: true, port: 0 });
const { core } = host.composition;
const list = await core.handlers['patient.list']({});
const a = list.find((p) => p.id === BENCH_PATIENT_500.id)!;
const b = [...list].filter((p) => p.ins && p.id !== a.id && !p.id.includes('10k')).sort((x, y) => y.id.localeCompare(x.id))[0]!;
const page = await (await browser.newContext({ viewport: { width: Number(process.env.W ?? 400), height: 800 } })).newPage();
await page.addInitScript(`(() => {
  const Native = window.WebSocket; window.__ev = [];
  window.WebSocket = class extends Native { constructor(...a) { super(...a); this.addEventListener('message', (e) => { try { const m = JSON.parse(e.data); window.__ev.push([performance.timeOrigin + performance.now(), m.event ? 'E:' + m.event.type : 'R:' + m.id, e.data.length]); } catch {} }); }
    send(d) { try { const m = JSON.parse(d); window.__ev.push([performance.timeOrigin + performance.now(), 'S:' + m.method, d.length]); } catch {} return super.send(d); } };
})()`);
await page.goto(host.web.url);
await page.getByTestId('patient-list').waitFor();
await page.evaluate(`(() => { window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([performance.timeOrigin + e.startTime, e.duration]); }).observe({ type: 'longtask' }); })()`);
const rows: number[][] = [];
for (let i = 0; i < n + 2; i++) {
  const p = i % 2 === 0 ? a : b;
  await core.journal.sync(p.id);
  const before = (await page.evaluate(`performance.getEntriesByName('relais:journal-painted').length`)) as number;
  const t0 = epochNow();
  void core.launch(contextOf(p), 'bench');
  await page.waitForFunction((k) => performance.getEntriesByName('relais:journal-painted').length > k, before, { polling: 'raf' });
  const m = (await page.evaluate(`(() => { const last = (n) => { const e = performance.getEntriesByName(n); return performance.timeOrigin + e[e.length-1].startTime; }; return [last('relais:launch-received'), last('diag:committed'), last('diag:raf'), last('relais:journal-painted'), window.__lt.splice(0), window.__ev.splice(0)]; })()`)) as [number, number, number, number, Array<[number, number]>, Array<[number, string, number]>];
  if (i >= 2 && process.env.EV) console.log(Math.round(m[3] - t0), m[5].map(([t, k, l]) => `${Math.round(t - t0)}:${k}:${l}`).join(' '));
  if (i >= 2) rows.push([m[3] - t0, m[0] - t0, m[1] - m[0], m[2] - m[1], m[3] - m[2], m[4].filter(([s]) => s >= t0 - 50).map(([, d]) => d).reduce((x, y) => x + y, 0)]);
}
rows.sort((x, y) => x[0] - y[0]);
console.log('total recv commit raf paint longtask');
for (const r of rows) console.log(r.map((x) => x.toFixed(1)).join('\t'));
const q = (k: number) => rows.map((r) => r[k]!).sort((x, y) => x - y);
const med = (k: number) => q(k)[Math.floor(rows.length / 2)]!.toFixed(1);
const p95 = (k: number) => q(k)[Math.ceil(rows.length * 0.95) - 1]!.toFixed(1);
console.log('median', [0, 1, 2, 3, 4].map(med).join('\t'));
console.log('p95   ', [0, 1, 2, 3, 4].map(p95).join('\t'));
await browser.close(); await host.stop(); await sandbox.close();
