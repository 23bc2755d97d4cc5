/**
 * Issue 16, item 4: the web host (`npm start`, every e2e) writes the technical log too, and the
 * scan run after the suites reads it. A real run (sandbox, web host, a CLI launch of a seeded
 * patient, a journal post with the patient's name in its text, the platform going away so the
 * outbox retries) must leave useful lines naming the patient by id only; a line planted with a
 * seeded name, INS or PIN where the e2e runs log (RELAIS_LOG_DIR) must fail the scan.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GP_RPPS } from '../../main/config/demo-identity';
import { buildLaunchUrl } from '../../main/launch/url';
import { runWebHost, type RunningWebHost } from '../../main/web/run-web-host';
import { startSandbox } from '../../sandbox/server';
import { contextOf, ROOT } from '../support/app-fixture';
import { collectForbidden, scanLogs } from './log-scan';

let sandbox: Awaited<ReturnType<typeof startSandbox>> | null;
let host: RunningWebHost | null;
let dataDir: string;
let logRoot: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'relais-weblog-'));
  logRoot = join(dataDir, 'test-results', 'logs');
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Relais</title>');
  host = await runWebHost({
    platformUrl: sandbox.url,
    dataDir,
    rpps: DEMO_GP_RPPS,
    demo: true,
    port: 0,
    rendererDir,
    backgroundSync: false,
    alertWatcher: false,
    logDir: join(logRoot, 'e2e'),
  });
});

afterAll(async () => {
  await host?.stop();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the web host logs through main/logging', () => {
  it('writes launch, patient (by id), outbox retries and sign-in lines with one correlation id, and nothing the scan forbids', async () => {
    const running = host!;
    const patient = (await running.composition.core.handlers['patient.list']({})).find((p) => p.ins)!;
    // A launch as the practice software sends it: the URL carries the INS and the names.
    const launch = await fetch(`${running.control.url}/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${running.control.token}` },
      body: JSON.stringify({ url: buildLaunchUrl(contextOf(patient)) }),
    });
    expect(launch.status).toBe(200);
    // The platform goes away: the post stays in the outbox and is retried (and logged so).
    await sandbox!.close();
    sandbox = null;
    await running.composition.dispatch('journal.post', { patientId: patient.id, kind: 'text', text: `Vu ${patient.firstNames[0]} ${patient.birthName}, INS ${patient.ins}, code 4826` });
    await expect.poll(() => running.composition.core.outbox.list().some((i) => i.status === 'queued' && i.lastError !== null), { timeout: 60_000 }).toBe(true);
    await running.stop();
    host = null;

    const text = readFileSync(join(logRoot, 'e2e', 'relais.log'), 'utf8');
    const lines = text.trim().split('\n');
    const ids = new Set(lines.map((l) => l.split(/\s+/)[2]));
    expect(ids.size).toBe(1);
    expect(text).toMatch(/web-host\.starting[\s\S]*auth\.signed-in[\s\S]*launch\.received via="control"[\s\S]*patient\.opened/);
    expect(text).toContain(`ref="Patient/${patient.id}"`);
    expect(text).toMatch(/outbox\.queued[\s\S]*outbox\.retry item="[0-9a-f-]{36}" attempts=\d+ code="[A-Z_]+"/);
    expect(text).toMatch(/web-host\.stopped$/m);
    expect(text).not.toContain(patient.birthName);
    expect(text).not.toContain(patient.ins!);
    expect(scanLogs(logRoot)).toEqual({ files: 1, findings: [] });
  });

  it('a seeded name, INS or PIN planted in an e2e run log fails the scan step (exit 1)', () => {
    const forbidden = collectForbidden();
    const name = forbidden.find((f) => !/^\d+$/.test(f))!;
    const ins = forbidden.find((f) => /^\d{15}$/.test(f))!;
    const e2eDir = join(logRoot, 'e2e');
    writeFileSync(join(e2eDir, 'relais.log.1'), `2026-12-01T04:55:30.938Z INFO  d9f6990c patient.opened who="${name}" ins=${ins} pin=4826\n`);
    expect(scanLogs(logRoot).findings.map((f) => f.needle).sort()).toEqual([name, ins, '4826'].sort());
    // The very step scripts/test.ts runs, pointed at this folder.
    const step = spawnSync('npx', ['tsx', 'test/security/log-scan.ts', logRoot], { cwd: ROOT, encoding: 'utf8' });
    expect(step.status).toBe(1);
    expect(step.stdout).toContain('3 finding(s)');
  }, 120_000);
});
