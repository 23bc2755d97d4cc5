import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { LaunchContext, Patient } from '../../contract';
import { launchChromium } from './chromium';
import { DEMO_GP_RPPS } from '../../sandbox/seed/index';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import type { Platform } from '../../main/platform/port';
import { runWebHost, type RunningWebHost } from '../../main/web/run-web-host';
import { startSandbox } from '../../sandbox/server';
import type { FaultConfig } from '../../sandbox/faults';
import type { CardReader } from '../../native-bridges/card/types';
import { testPki } from '../fixtures/pki/pki';
import { MemorySecretStore } from '../../native-bridges/secrets/memory';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Builds what a user runs: the renderer bundle and the `relais` CLI bundle (bin/relais.mjs prefers it). */
export function buildRenderer(): void {
  for (const script of ['build:renderer', 'build:cli']) {
    const r = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`npm run ${script} failed`);
  }
}

export interface AppFixture {
  /** Where the simulated practice software writes the current patient (when enabled). */
  contextFilePath: string | null;
  sandboxUrl: string;
  /** With a card: the test's service token for the sandbox (scripted actors, checks); else null. */
  serviceToken: string | null;
  platform: Platform;
  host: RunningWebHost;
  dataDir: string;
  stopSandbox(): Promise<void>;
  /** Starts the sandbox again on the same port (fresh seed data: what was posted before is gone). */
  restartSandbox(): Promise<void>;
  /** The sandbox's fault injection (sandbox/faults.ts): e.g. writes refused with a 422. */
  setFaults(config: FaultConfig): void;
  close(): Promise<void>;
}

/**
 * The sandbox and the web host as `npm start` runs them, on free ports and a temporary data dir.
 * With `card`: the sandbox demands card sign-in (test PKI) and the host has this reader and no
 * demo identity, as a medical home's install does.
 */
export async function startApp(options: { contextFile?: boolean; card?: CardReader } = {}): Promise<AppFixture> {
  // The test's own view of the platform (checks, seeding) uses a service token beside the cards.
  const serviceToken = randomUUID();
  const cardAuth = options.card ? { cardAuth: { trustedRootsPem: [testPki().root.certificatePem] }, accessToken: serviceToken } : {};
  let sandbox = await startSandbox({ port: 0, seed: 1, ...cardAuth });
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-e2e-'));
  const contextFilePath = options.contextFile ? join(dataDir, 'lgc', 'patient-courant.json') : undefined;
  if (contextFilePath) mkdirSync(dirname(contextFilePath), { recursive: true });
  const host = await runWebHost({
    platformUrl: sandbox.url,
    dataDir,
    rpps: DEMO_GP_RPPS,
    demo: !options.card,
    port: 0,
    // A card holder's store is encrypted (a keychain is required for a real professional, docs/secrets.md).
    ...(options.card ? { cardReader: options.card, cardPollMs: 100, encrypt: true, secretStore: new MemorySecretStore() } : {}),
    ...(contextFilePath ? { contextFilePath } : {}),
  });
  let sandboxOpen = true;
  return {
    contextFilePath: contextFilePath ?? null,
    sandboxUrl: sandbox.url,
    serviceToken: options.card ? serviceToken : null,
    platform: createFhirPlatform({ baseUrl: sandbox.url, ...(options.card ? { getAccessToken: () => serviceToken } : {}) }),
    host,
    dataDir,
    async stopSandbox() {
      if (sandboxOpen) await sandbox.close();
      sandboxOpen = false;
    },
    async restartSandbox() {
      if (sandboxOpen) await sandbox.close();
      sandbox = await startSandbox({ port: sandbox.port, seed: 1, ...cardAuth });
      sandboxOpen = true;
    },
    setFaults(config) {
      sandbox.setFaults(config);
    },
    async close() {
      await host.stop();
      if (sandboxOpen) await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function contextOf(patient: Patient): LaunchContext {
  if (!patient.ins) throw new Error('patient without INS');
  return {
    ins: patient.ins,
    birthName: patient.birthName,
    firstNames: patient.firstNames,
    birthDate: patient.birthDate,
    sex: patient.sex,
    ...(patient.birthPlace ? { birthPlace: patient.birthPlace } : {}),
  };
}

/**
 * Runs `relais launch …` as a user would, against the instance file of `dataDir`. Asynchronous:
 * the instance it talks to lives in this very process and must keep serving meanwhile.
 */
export function relaisCli(dataDir: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'relais.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, RELAIS_DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** The app's page in Debian's Chromium, as a GP's screen shows it. */
export async function openAppPage(
  app: AppFixture,
  options: { width?: number; height?: number } = {},
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1366, height: options.height ?? 860 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  const page = await context.newPage();
  await page.goto(app.host.web.url);
  return { browser, page };
}
