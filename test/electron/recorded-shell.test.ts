import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLaunchUrl } from '../../main/launch/url';
import { createFhirPlatform } from '../../main/platform/fhir/index';
import { BENCH_PATIENT_500 } from '../../sandbox/seed/index';
import { startSandbox } from '../../sandbox/server';
import { ROOT, contextOf } from '../support/app-fixture';
import { scanLogs } from '../security/log-scan';

/**
 * The BUILT Electron shell (dist/electron/main.cjs) run under Node against a recording fake of
 * 'electron' (fake-electron.cjs): the scenarios of issue 16, item 0, with the fake failing on
 * wrong ordering, duplicate IPC channels and a Notification lost to the garbage collector.
 * What this cannot show (no Electron binary here): Chromium itself — rendering, the sandboxed
 * preload in a real renderer (see preload-sandbox.test.ts), the OS tray, toasts, the registry.
 */
interface Rec {
  api: string;
  phase: 'before-ready' | 'after-ready';
  detail: Record<string, unknown>;
}
interface Shell {
  child: ChildProcess;
  records: Rec[];
  violations: string[];
  messages: Array<Record<string, unknown>>;
  exited: Promise<number>;
  reply(cmd: Record<string, unknown>, type: string): Promise<Record<string, unknown>>;
  waitFor(pred: (r: Rec) => boolean, what: string, timeoutMs?: number): Promise<Rec>;
  invoke(method: string, payload?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
  stop(): Promise<void>;
}

const HARNESS = join(ROOT, 'test', 'electron', 'fake-electron.cjs');
const MAIN = join(ROOT, 'dist', 'electron', 'main.cjs');
const dirs: string[] = [];
let sandbox: Awaited<ReturnType<typeof startSandbox>>;

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function launch(env: Record<string, string | undefined>, scenario = 'first-start'): Shell {
  const records: Rec[] = [];
  const violations: string[] = [];
  const messages: Array<Record<string, unknown>> = [];
  const cleanEnv = { ...process.env };
  for (const k of ['RELAIS_DATA_DIR', 'RELAIS_PLATFORM_URL', 'RELAIS_DEMO', 'RELAIS_PKCS11_LIB', 'RELAIS_CONTEXT_FILE', 'RELAIS_POLICY_FILE']) delete cleanEnv[k];
  const child = fork(MAIN, ['--'], {
    execArgv: ['--expose-gc', '-r', HARNESS],
    env: { ...cleanEnv, RELAIS_PKCS11_LIB: '/nonexistent/pkcs11.so', ...env, FAKE_ELECTRON_SCENARIO: scenario },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', () => undefined);
  const listeners = new Set<() => void>();
  child.on('message', (m: Record<string, unknown>) => {
    if (m.type === 'record') records.push(m as unknown as Rec);
    else if (m.type === 'violation' || m.type === 'harness-error') violations.push(String(m.message));
    else messages.push(m);
    for (const l of listeners) l();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const until = <T>(find: () => T | undefined, what: string, timeoutMs = 45_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; violations: ${violations.join(' | ')}; stderr: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  let seq = 0;
  const shell: Shell = {
    child,
    records,
    violations,
    messages,
    exited,
    reply: (cmd, type) => {
      const from = messages.length;
      child.send(cmd);
      return until(() => messages.slice(from).find((m) => m.type === type), type);
    },
    waitFor: (pred, what, timeoutMs) => until(() => records.find(pred), what, timeoutMs),
    invoke: async (method, payload = {}) => {
      const id = ++seq;
      const from = messages.length;
      child.send({ cmd: 'invoke', id, method, payload });
      const m = await until(() => messages.slice(from).find((x) => x.type === 'invoked' && x.id === id), `invoke ${method}`);
      return m.result as { ok: boolean; value?: unknown; error?: { code: string } };
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return shell;
}

/**
 * The logs (and diagnostic zip) a scenario wrote: kept under test-results/logs/ for the scan step
 * of `npm test`, and scanned here for seeded names, INS and PINs.
 */
function keepAndScanLogs(scenario: string, dir: string): number {
  const target = join(ROOT, 'test-results', 'logs', scenario);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(dir, target, { recursive: true, filter: (src) => !/store\.db|secrets\.json|chromium|profiles/.test(src) });
  const { files, findings } = scanLogs(target);
  expect(findings).toEqual([]);
  return files;
}

const names = (s: Shell, api: string) => s.records.filter((r) => r.api === api);

async function signedIn(s: Shell): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const r = await s.invoke('auth.status');
    if ((r.value as { signedIn?: boolean } | undefined)?.signedIn) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error('never signed in');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The ordering rules every scenario must hold. */
function expectWellOrdered(s: Shell): void {
  expect(s.violations).toEqual([]);
  const ready = s.records.findIndex((r) => r.api === 'app.ready');
  const schemes = s.records.findIndex((r) => r.api === 'protocol.registerSchemesAsPrivileged');
  expect(schemes).toBeGreaterThanOrEqual(0);
  if (ready >= 0) expect(schemes).toBeLessThan(ready);
  expect(names(s, 'ipcMain.handle').map((r) => r.detail.channel)).toEqual(names(s, 'ipcMain.handle').length ? ['relais:invoke'] : []);
}

let patientUrl: string;
let patientBirthName: string;

beforeAll(async () => {
  for (const script of ['build:electron', 'build:cli']) {
    expect(spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' }).status).toBe(0);
  }
  sandbox = await startSandbox({ port: 0, seed: 1 });
  const patient = await createFhirPlatform({ baseUrl: sandbox.url }).getPatient(BENCH_PATIENT_500.id);
  patientUrl = buildLaunchUrl(contextOf(patient));
  patientBirthName = patient.birthName;
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the built Electron shell against a recording electron', () => {
  it('first start: schemes and userData before ready, tray before window, one IPC channel, instance file, notification kept until clicked, clean quit', async () => {
    const dataDir = tempDir('relais-shell-');
    const policyFile = join(dataDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ updatesDisabled: true, followLgc: false, logLevel: 'verbeux' }));
    const s = launch({ RELAIS_DATA_DIR: dataDir, RELAIS_PLATFORM_URL: sandbox.url, RELAIS_DEMO: '1', RELAIS_POLICY_FILE: policyFile, FAKE_ELECTRON_SAVE_PATH: join(dataDir, 'logs', 'relais-diagnostic-test.zip') });
    try {
      await s.waitFor((r) => r.api === 'BrowserWindow.loadURL', 'the window');
      // The machine policy reaches the window: locked settings, and its bad key named in French.
      const status = (await s.invoke('auth.status')).value as { machinePolicy?: { locked: string[]; problems: string[] } };
      expect(status.machinePolicy?.locked).toEqual(['updatesDisabled', 'followLgc']);
      expect(status.machinePolicy?.problems[0]).toMatch(/« logLevel ».*attendu : error, warn, info ou debug/);
      await s.waitFor((r) => r.api === 'dialog.showMessageBox', 'the policy warning at start');
      await signedIn(s);
      const setPath = names(s, 'app.setPath')[0]!;
      expect(setPath).toMatchObject({ phase: 'before-ready', detail: { name: 'userData', value: join(dataDir, 'chromium') } });
      // Not packaged: never registers relais:// (it would register the development electron binary).
      expect(names(s, 'app.setAsDefaultProtocolClient')).toEqual([]);
      const trayAt = s.records.findIndex((r) => r.api === 'Tray.new');
      expect(trayAt).toBeGreaterThan(-1);
      expect(trayAt).toBeLessThan(s.records.findIndex((r) => r.api === 'BrowserWindow.new'));
      expect(s.records.findIndex((r) => r.api === 'Tray.setToolTip')).toBeGreaterThan(trayAt);
      const win = names(s, 'BrowserWindow.new')[0]!;
      expect(win.detail.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: join(ROOT, 'dist', 'electron', 'preload.cjs') });
      // First start: a 420 px panel docked right.
      expect(win.detail.bounds).toEqual({ x: 1500, y: 0, width: 420, height: 1040 });
      expect(names(s, 'protocol.handle').map((r) => r.detail.scheme).sort()).toEqual(['relais-app', 'relais-media']);
      const info = JSON.parse(readFileSync(join(dataDir, 'instance.json'), 'utf8'));
      expect(info).toMatchObject({ host: 'electron', pid: s.child.pid });
      // The relais-app: handler is live after ready and serves nothing outside the renderer folder.
      expect((await s.reply({ cmd: 'fetch-app', path: '/%2e%2e/%2e%2e/package.json' }, 'fetched')).status).toBe(404);

      // Closing hides to the tray, and the first time says so with a notification…
      s.child.send({ cmd: 'close-window' });
      await s.waitFor((r) => r.api === 'Notification.show', 'the first-close notice');
      expect(names(s, 'BrowserWindow.hide').length).toBeGreaterThan(0);
      // …which survives the garbage collector and still answers its click.
      const gc = await s.reply({ cmd: 'gc' }, 'gc-done');
      expect(gc.alive).toBe(1);
      const showsBefore = names(s, 'BrowserWindow.show').length;
      expect((await s.reply({ cmd: 'click-notification' }, 'clicked')).found).toBe(true);
      await s.waitFor(() => names(s, 'BrowserWindow.show').length > showsBefore, 'the window shown by the click');

      // The tray names the state: signed in, no patient yet.
      const menu = names(s, 'Tray.setContextMenu').at(-1)!.detail.labels as string[];
      expect(menu).toEqual(expect.arrayContaining(['Ouvrir Relais', 'Aucun patient ouvert', 'Verrouiller', 'Se déconnecter', 'Quitter Relais']));

      // « Exporter un diagnostic… »: a zip with no patient data (scanned with the logs below).
      await s.reply({ cmd: 'tray-click', label: 'Exporter un diagnostic…' }, 'tray-clicked');
      await s.waitFor((r) => r.api === 'shell.showItemInFolder', 'the diagnostic written');
      // « Se déconnecter »: the badge goes back to 0.
      expect((await s.reply({ cmd: 'tray-click', label: 'Se déconnecter' }, 'tray-clicked')).found).toBe(true);
      await s.waitFor((r) => r.api === 'app.setBadgeCount' && r.detail.count === 0 && s.records.indexOf(r) > s.records.length - 40, 'badge reset');
      // « Quitter Relais »: before-quit cleans up, the instance file goes, the process ends 0.
      await s.reply({ cmd: 'tray-click', label: 'Quitter Relais' }, 'tray-clicked');
      expect(await s.exited).toBe(0);
      expect(existsSync(join(dataDir, 'instance.json'))).toBe(false);
      expect(readFileSync(join(dataDir, 'logs', 'relais.log'), 'utf8')).toMatch(/shell\.started[\s\S]*diagnostic\.exported[\s\S]*shell\.quit/);
      expect(keepAndScanLogs('first-start', join(dataDir, 'logs'))).toBe(2);
      expectWellOrdered(s);
    } finally {
      await s.stop();
    }
  });

  it('lost lock: quits at once, opens nothing', async () => {
    const s = launch({ RELAIS_DATA_DIR: tempDir('relais-shell-'), RELAIS_PLATFORM_URL: sandbox.url, RELAIS_DEMO: '1' }, 'lost-lock');
    expect(await s.exited).toBe(0);
    expect(names(s, 'app.quit')).toHaveLength(1);
    for (const api of ['BrowserWindow.new', 'Tray.new', 'ipcMain.handle', 'protocol.handle']) expect(names(s, api), api).toEqual([]);
    expectWellOrdered(s);
  });

  it('second instance with a relais:// URL, and `relais launch` finding the instance through the shared data dir', async () => {
    // No RELAIS_DATA_DIR on either side: the default directory under HOME must be the same one.
    const home = tempDir('relais-home-');
    const s = launch({ HOME: home, RELAIS_PLATFORM_URL: sandbox.url, RELAIS_DEMO: '1' });
    try {
      await s.waitFor((r) => r.api === 'BrowserWindow.loadURL', 'the window');
      await signedIn(s);
      const before = s.records.length;
      s.child.send({ cmd: 'second-instance', argv: ['/opt/Relais/relais', '--', patientUrl] });
      // Brought forward without taking the keyboard from the practice software. Each record is
      // awaited on its own: the child reports them over IPC and CI once read the list too early.
      await s.waitFor((r) => r.api === 'BrowserWindow.moveTop' && s.records.indexOf(r) >= before, 'moveTop after second-instance');
      await s.waitFor((r) => r.api === 'webContents.send' && r.detail.type === 'patient-changed' && s.records.indexOf(r) >= before, 'patient-changed after second-instance');
      expect(s.records.slice(before).map((r) => r.api)).not.toContain('BrowserWindow.focus');
      await s.waitFor((r) => r.api === 'Tray.setContextMenu' && (r.detail.labels as string[]).some((l) => l.includes(patientBirthName)), 'the patient in the tray menu');

      const cliStart = s.records.length;
      const cli = await new Promise<{ code: number; out: string }>((resolve) => {
        const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
        delete env.RELAIS_DATA_DIR;
        const c = spawn(process.execPath, [join(ROOT, 'bin', 'relais.mjs'), 'launch', patientUrl], { cwd: ROOT, env });
        let out = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (out += d.toString()));
        c.on('close', (code) => resolve({ code: code ?? -1, out }));
      });
      expect(cli.code, cli.out).toBe(0);
      await s.waitFor((r) => r.api === 'webContents.send' && r.detail.type === 'patient-changed' && s.records.indexOf(r) >= cliStart, 'patient-changed after relais launch');
      expect(existsSync(join(home, '.relais', 'instance.json'))).toBe(true);
      expect(keepAndScanLogs('second-instance', join(home, '.relais', 'logs'))).toBe(1);
      expectWellOrdered(s);
    } finally {
      await s.stop();
    }
  });

  it('Windows jump list: « Ouvrir Relais » and « Verrouiller » tasks, run by the running instance when clicked', async () => {
    const s = launch({ RELAIS_DATA_DIR: tempDir('relais-shell-'), RELAIS_PLATFORM_URL: sandbox.url, RELAIS_DEMO: '1', FAKE_ELECTRON_OS: 'win32' });
    try {
      const tasks = await s.waitFor((r) => r.api === 'app.setUserTasks', 'the jump list');
      expect(tasks.phase).toBe('after-ready');
      expect(tasks.detail.tasks).toEqual([
        { title: 'Ouvrir Relais', arguments: '--relais-task=open', program: process.execPath },
        { title: 'Verrouiller', arguments: '--relais-task=lock', program: process.execPath },
      ]);
      await signedIn(s);
      // A task click starts `Relais.exe --relais-task=lock`; the lock hands its argv over.
      const before = s.records.length;
      s.child.send({ cmd: 'second-instance', argv: [process.execPath, '--relais-task=lock'] });
      await s.waitFor((r) => r.api === 'webContents.send' && r.detail.type === 'session-locked' && s.records.indexOf(r) >= before, 'locked by the jump list');
      expect((await s.invoke('patient.list', {})).error?.code).toBe('UNAUTHENTICATED');
      // Hidden in the tray, « Ouvrir Relais » brings the window back (not as a launch: no patient opened).
      s.child.send({ cmd: 'close-window' });
      await s.waitFor((r) => r.api === 'BrowserWindow.hide' && s.records.indexOf(r) >= before, 'hidden');
      const shown = s.records.length;
      s.child.send({ cmd: 'second-instance', argv: [process.execPath, '--relais-task=open'] });
      await s.waitFor((r) => r.api === 'BrowserWindow.show' && s.records.indexOf(r) >= shown, 'shown by the jump list');
      expect(s.records.slice(shown).filter((r) => r.api === 'webContents.send' && r.detail.type === 'launch-failed')).toEqual([]);
      expect(names(s, 'app.dock.setMenu')).toEqual([]);
      expectWellOrdered(s);
    } finally {
      await s.stop();
    }
  });

  it('macOS dock menu: « Ouvrir Relais », and « Verrouiller » while signed in', async () => {
    const s = launch({ RELAIS_DATA_DIR: tempDir('relais-shell-'), RELAIS_PLATFORM_URL: sandbox.url, RELAIS_DEMO: '1', FAKE_ELECTRON_OS: 'darwin' });
    try {
      const first = await s.waitFor((r) => r.api === 'app.dock.setMenu', 'the dock menu');
      expect(first).toMatchObject({ phase: 'after-ready', detail: { labels: ['Ouvrir Relais'] } });
      await signedIn(s);
      await s.waitFor((r) => r.api === 'app.dock.setMenu' && (r.detail.labels as string[]).includes('Verrouiller'), 'Verrouiller in the dock menu');
      const before = s.records.length;
      expect((await s.reply({ cmd: 'dock-click', label: 'Verrouiller' }, 'dock-clicked')).found).toBe(true);
      await s.waitFor((r) => r.api === 'webContents.send' && r.detail.type === 'session-locked' && s.records.indexOf(r) >= before, 'locked from the dock');
      // Signed out: the dock menu loses « Verrouiller ».
      await s.reply({ cmd: 'tray-click', label: 'Se déconnecter' }, 'tray-clicked');
      await s.waitFor((r) => r.api === 'app.dock.setMenu' && s.records.indexOf(r) >= before && (r.detail.labels as string[]).join() === 'Ouvrir Relais', 'dock menu after sign-out');
      expect(names(s, 'app.setUserTasks')).toEqual([]);
      expectWellOrdered(s);
    } finally {
      await s.stop();
    }
  });

  it('platform down at start: the window opens, says so, keeps trying, and signs in once the platform answers', async () => {
    const port = await freePort();
    const dataDir = tempDir('relais-shell-');
    const s = launch({ RELAIS_DATA_DIR: dataDir, RELAIS_PLATFORM_URL: `http://127.0.0.1:${port}/fhir`, RELAIS_DEMO: '1' });
    let late: Awaited<ReturnType<typeof startSandbox>> | null = null;
    try {
      await s.waitFor((r) => r.api === 'BrowserWindow.loadURL', 'the window');
      await s.waitFor((r) => r.api === 'webContents.send' && r.detail.type === 'launch-failed' && r.detail.code === 'PLATFORM_UNREACHABLE', 'the offline message');
      expect(names(s, 'app.exit')).toEqual([]);
      expect((await s.invoke('auth.status')).value).toMatchObject({ signedIn: false, platformUnreachable: true });
      expect(names(s, 'dialog.showErrorBox')).toEqual([]);
      expect(s.child.exitCode).toBeNull();
      late = await startSandbox({ port, seed: 1 });
      expect(late.url).toBe(`http://127.0.0.1:${port}/fhir`);
      await s.waitFor((r) => r.api === 'webContents.send' && r.detail.type === 'auth-changed' && s.records.some((x) => x.api === 'Tray.setContextMenu' && (x.detail.labels as string[]).includes('Se déconnecter')), 'signed in after the platform came back', 90_000);
      expect((await s.invoke('auth.status')).value).toMatchObject({ signedIn: true });
      expect(keepAndScanLogs('platform-down', join(dataDir, 'logs'))).toBe(1);
      expectWellOrdered(s);
    } finally {
      await s.stop();
      await late?.close();
    }
  }, 150_000);
});

describe('the recording electron catches misuse (so a passing scenario means something)', () => {
  it('schemes after ready, a handler before ready, a duplicate IPC channel, an unreferenced Notification', async () => {
    const dir = tempDir('relais-bad-shell-');
    const bad = join(dir, 'bad-main.cjs');
    writeFileSync(
      bad,
      `const { app, protocol, ipcMain, Notification } = require('electron');
       ipcMain.handle('relais:invoke', () => null);
       app.whenReady().then(() => {
         protocol.registerSchemesAsPrivileged([{ scheme: 'late', privileges: {} }]);
         ipcMain.handle('relais:invoke', () => null);
         new Notification({ title: 'perdue' }).show();
       });`,
    );
    const records: string[] = [];
    const child = fork(bad, [], { execArgv: ['--expose-gc', '-r', HARNESS], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const gcDone = new Promise<void>((resolve) =>
      child.on('message', (m: { type: string; message?: string; api?: string }) => {
        if (m.type === 'violation') records.push(m.message!);
        if (m.type === 'record' && m.api === 'Notification.show') child.send({ cmd: 'gc' });
        if (m.type === 'gc-done') resolve();
      }),
    );
    await gcDone;
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    expect(records).toEqual(
      expect.arrayContaining([
        'ipcMain.handle(relais:invoke) called before app ready',
        'protocol.registerSchemesAsPrivileged after ready',
        'duplicate IPC channel relais:invoke',
        'Notification « perdue » garbage-collected before it was clicked or closed',
      ]),
    );
  });
});
