import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLaunchUrl } from '../../main/launch/url';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { findElectronBinary } from '../../scripts/electron-binary';
import { ROOT, contextOf, relaisCli } from '../support/app-fixture';

const binary = findElectronBinary();
if (!('path' in binary)) {
  console.log(`[electron e2e] skipped: ${binary.reason}; the same journal path runs in Chromium (journal.e2e.ts).`);
}

describe.skipIf(!('path' in binary))('Electron shell end to end (needs the Electron binary)', () => {
  let app: ElectronApplication;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let dataDir: string;

  beforeAll(async () => {
    for (const script of ['build:renderer', 'build:electron']) {
      expect(spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' }).status).toBe(0);
    }
    sandbox = await startSandbox({ port: 0, seed: 1 });
    dataDir = mkdtempSync(join(tmpdir(), 'relais-electron-'));
    app = await electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [ROOT, '--no-sandbox'],
      env: { ...process.env, RELAIS_PLATFORM_URL: sandbox.url, RELAIS_DATA_DIR: dataDir, RELAIS_DEMO: '1' },
    });
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs sandboxed with context isolation and opens a launched patient', async () => {
    const page = await app.firstWindow();
    // No Node in the page, only the bridge: nodeIntegration off, context isolation and sandbox on.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { relais?: { invoke?: unknown } }).relais?.invoke)).toBe('function');
    const blocked = await page.evaluate(() => (globalThis as unknown as { open(u: string): unknown }).open('https://example.org') === null);
    expect(blocked).toBe(true);

    const platform = createFhirPlatform({ baseUrl: sandbox.url });
    const patient = await platform.getPatient(BENCH_PATIENT_500.id);
    const cli = await relaisCli(dataDir, ['launch', buildLaunchUrl(contextOf(patient))]);
    expect(cli.status).toBe(0);
    await expect.poll(() => page.getByTestId('patient-name').textContent()).toContain(patient.birthName);
    await page.screenshot({ path: join(ROOT, 'test-results', 'electron-journal.png') });
  });
});
