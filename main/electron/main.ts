import { app, dialog, ipcMain, net, protocol, safeStorage, session, shell, type BrowserWindow } from 'electron';
import axios from 'axios';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_MESSAGES_FR } from '../../contract/i18n/errors.fr';
import type { RelaisEvent } from '../../contract';
import { openCardReader } from '../../native-bridges/card/index';
import { SafeStorageSecretStore } from '../../native-bridges/secrets/safe-storage';
import { pscConfigFromEnv } from '../auth/psc/env';
import { chromiumProfileDir, resolveDataDir } from '../config/data-dir';
import { DEMO_GP_RPPS } from '../config/demo-identity';
import { demoEnabled, platformUrlProblem } from '../config/platform-url';
import { installMachinePolicy, type MachinePolicy } from '../config/policy';
import { readMachinePolicy, systemPolicyDeps } from '../config/policy-sources';
import { buildDiagnosticZip, diagnosticFileName, platformReachability } from '../diagnostics/export';
import { toErrorShape } from '../errors';
import { desktopAlerts, patientLabel } from '../features/panels/desktop-alerts';
import { startControlServer, type ControlServer } from '../instance/control-server';
import { removeInstanceFile, writeInstanceFile } from '../instance/instance-file';
import { ARGV_TERMINATOR, launchFromArgv } from '../launch/argv';
import { startLaunchChannels, type LaunchChannels } from '../launch/launch-channels';
import { PROTOCOL } from '../launch/url';
import { createLogger, logDir, type Logger } from '../logging/logger';
import { coreEventLogger } from '../logging/event-log';
import { signingInProgress } from '../signature/signing-state';
import { taskFromArgv, type ShellTask } from './jump-list';
import { installJumpList, updateDockMenu } from './os-menus';
import { SessionHost } from '../session/session-host';
import { effectiveSettings } from '../settings/settings';
import { readStatic } from '../web/static-files';
import { answerMediaRequest } from './media-protocol';
import { notify } from './notifier';
import { electronOpenExternal } from './open-external';
import { decidePermissionCheck, decidePermissionRequest } from './permission-policy';
import { isTrustedSender } from './sender-check';
import { abiMismatch, isTransient, retryDelayMs, startFailureMessage } from './startup';
import { RelaisTray } from './tray';
import type { TrayAction } from './tray-menu';
import { electronUpdaterSource } from './updates/electron-updater';
import { UpdateController, updateFeed } from './updates/update-policy';
import { MainWindow } from './window';
import { APP_SCHEME, ELECTRON_CSP, MEDIA_SCHEME } from './window-options';

/**
 * The Electron shell (issue 16, item 0). Order matters and test/electron/recorded-shell.test.ts
 * holds it against a recording fake of 'electron' running this very bundle: privileged schemes,
 * userData and the app user model id before `ready`; protocol handlers, IPC, session handlers
 * and the tray after it; one `relais:invoke` channel; notifications kept referenced.
 */
const RENDERER_DIR = join(__dirname, '..', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');
const ICON = join(__dirname, '..', '..', 'installer', 'icons', 'tray.png');
export const APP_USER_MODEL_ID = 'fr.relais.desktop';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

// One data directory for this shell, `relais launch` and the web host (main/config/data-dir.ts);
// Chromium's profile and the single-instance lock inside it.
const dataDir = resolveDataDir();
app.setPath('userData', chromiumProfileDir(dataDir));
// Windows toasts need the same AppUserModelID as the installer's shortcut (electron-builder appId).
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

let window: MainWindow | null = null;
let tray: RelaisTray | null = null;
let host: SessionHost | null = null;
let control: ControlServer | null = null;
let channels: LaunchChannels | null = null;
let updates: UpdateController | null = null;
let policy: MachinePolicy = {};
let log: Logger | null = null;
let quitting = false;
const pendingArgv: string[][] = [];

function handleArgv(argv: readonly string[]): void {
  if (!host) {
    pendingArgv.push([...argv]);
    return;
  }
  const target = host;
  const task = taskFromArgv(argv);
  if (task) return runTask(task);
  let found: ReturnType<typeof launchFromArgv>;
  try {
    found = launchFromArgv(argv);
  } catch (error) {
    log?.warn('launch.argv-refused', { code: toErrorShape(error).code });
    target.launchRejected(error);
    showWindow('launch');
    return;
  }
  if (found.kind !== 'launch') return;
  log?.info('launch.argv');
  // Before the sign-in the session host holds it and the window asks for the PIN.
  void target.openPatient(found.context, 'argv').catch((error: unknown) => target.launchRejected(error));
  showWindow('launch');
}

/** A jump-list task (Windows) or a dock-menu item (macOS). */
function runTask(task: ShellTask): void {
  log?.info('shell.task', { task });
  if (task === 'lock') host?.lock();
  else showWindow('user');
}

function showWindow(reason: 'launch' | 'user' = 'user'): void {
  window?.show(reason);
}

function quit(): void {
  quitting = true;
  app.quit();
}

function registerProtocols(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = await readStatic(RENDERER_DIR, new URL(request.url).pathname);
    if (!file) return new Response('Introuvable', { status: 404 });
    return new Response(new Uint8Array(file.body), { headers: { 'content-type': file.type, 'content-security-policy': ELECTRON_CSP } });
  });
  protocol.handle(MEDIA_SCHEME, (request) => answerMediaRequest(request, host));
}

function registerIpc(target: SessionHost): void {
  ipcMain.handle('relais:invoke', async (event, method: unknown, payload: unknown) => {
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: { code: 'FORBIDDEN', message: 'untrusted sender' } };
    return target.dispatch(method, payload);
  });
  target.events.subscribe((e) => {
    window?.win?.webContents.send('relais:event', e);
    onHostEvent(e);
  });
  if (log) target.events.subscribe(coreEventLogger(log));
}

/** Tray state from the session's events: signed in / out (the badge reset with it), patient, outbox. */
function onHostEvent(e: RelaisEvent): void {
  if (e.type === 'auth-changed') {
    if (!e.status.signedIn) {
      tray?.update({ signedIn: false, patient: null, unread: 0, pendingOutbox: 0 });
      app.setBadgeCount(0);
    } else tray?.update({ signedIn: true });
    updateDockMenu(e.status.signedIn, runTask);
  } else if (e.type === 'patient-changed') tray?.update({ patient: patientLabel(e.patient) });
  else if (e.type === 'outbox-changed') tray?.update({ pendingOutbox: e.items.filter((i) => i.status === 'queued' || i.status === 'sending').length });
}

/**
 * Network through Chromium (issue 16, item 0): the platform client's axios uses Electron's
 * net.fetch, which honours the system proxy (PAC, WPAD) or the policy's, and the OS certificate
 * store (a practice behind a proxy, the IGC-Santé authorities). Set before any client exists.
 */
async function setUpNetwork(): Promise<void> {
  const mode = policy.proxyMode ?? 'system';
  if (mode === 'direct') await session.defaultSession.setProxy({ mode: 'direct' });
  else if (mode === 'fixed') await session.defaultSession.setProxy({ mode: 'fixed_servers', proxyRules: policy.proxyRules ?? '' });
  else if (mode === 'pac') await session.defaultSession.setProxy({ mode: 'pac_script', pacScript: policy.proxyPacUrl ?? '' });
  else await session.defaultSession.setProxy({ mode: 'system' });
  axios.defaults.adapter = 'fetch';
  axios.defaults.env = { ...axios.defaults.env, fetch: (input: Parameters<typeof fetch>[0], init?: RequestInit) => net.fetch(input instanceof URL ? input.href : input, init) };
}

/** The demo identity (RELAIS_DEMO=1): signed in now, or as soon as the platform answers. */
function signInDemoWhenReachable(target: SessionHost, attempt = 0): void {
  target.authHandlers['auth.signInDemo']({}).then(
    () => {
      target.setPlatformReachable(true);
      log?.info('auth.demo-signed-in', { attempt });
    },
    (error: unknown) => {
      const shape = toErrorShape(error);
      log?.warn('auth.demo-sign-in-failed', { code: shape.code, attempt });
      if (abiMismatch(error)) return void dialog.showErrorBox('Relais', startFailureMessage(error));
      if (!isTransient(error) || quitting) return;
      // The window stays open on the sign-in screen with the French message, and we try again.
      target.setPlatformReachable(false);
      target.events.emit({ type: 'launch-failed', error: { code: shape.code, message: ERROR_MESSAGES_FR[shape.code] } });
      setTimeout(() => signInDemoWhenReachable(target, attempt + 1), retryDelayMs(attempt)).unref();
    },
  );
}

async function exportDiagnostic(platformUrl: string): Promise<void> {
  const target = window?.win ?? undefined;
  const answer = await (target
    ? dialog.showSaveDialog(target, { title: 'Exporter un diagnostic', defaultPath: diagnosticFileName() })
    : dialog.showSaveDialog({ title: 'Exporter un diagnostic', defaultPath: diagnosticFileName() }));
  if (answer.canceled || !answer.filePath) return;
  const zip = buildDiagnosticZip({
    dataDir,
    versions: { relais: app.getVersion(), electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node, os: `${process.platform} ${process.arch}` },
    policy: (await import('../config/policy')).machinePolicy(),
    platformUrl,
    outboxCounts: host?.composition?.core.outbox.counts() ?? null,
    correlationId: log?.correlationId ?? '',
    reachability: await platformReachability(platformUrl, ((input: Parameters<typeof fetch>[0], init?: RequestInit) => net.fetch(input instanceof URL ? input.href : input, init)) as typeof fetch),
  });
  writeFileSync(answer.filePath, zip);
  log?.info('diagnostic.exported', { bytes: zip.length });
  shell.showItemInFolder(answer.filePath);
}

function startAtLoginState(): boolean | null {
  if (policy.startAtLogin !== undefined && policy.startAtLoginUserChoice === false) return null;
  return app.getLoginItemSettings().openAtLogin;
}

function applyStartAtLogin(): void {
  // Per-machine policy: start hidden in the tray at login (the user may change it unless locked).
  if (policy.startAtLogin !== undefined && policy.startAtLoginUserChoice === false) app.setLoginItemSettings({ openAtLogin: policy.startAtLogin, args: ['--hidden'] });
  else if (policy.startAtLogin !== undefined && !app.getLoginItemSettings().openAtLogin && policy.startAtLogin) app.setLoginItemSettings({ openAtLogin: true, args: ['--hidden'] });
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    // The running instance receives our argv through 'second-instance'.
    app.quit();
    return;
  }
  app.on('second-instance', (_event, argv) => handleArgv(argv));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    handleArgv([ARGV_TERMINATOR, url]); // macOS hands the URL over as an event, not argv
  });
  // macOS: a click on the dock icon with the window hidden.
  app.on('activate', () => showWindow('user'));
  // Windows: `Relais.exe -- "%1"` (argv.ts reads the URL after --). Only a packaged app registers:
  // in development it would register electron.exe and overwrite an installed Relais. The
  // installers write the same key (installer/installer.nsh, MSI); this repairs a stale one.
  if (app.isPackaged && process.platform === 'win32' && !app.isDefaultProtocolClient(PROTOCOL, process.execPath, [ARGV_TERMINATOR])) {
    app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [ARGV_TERMINATOR]);
  }

  const policyResult = await readMachinePolicy(systemPolicyDeps());
  installMachinePolicy(policyResult);
  policy = policyResult.policy;
  log = createLogger({ dir: logDir(dataDir), level: policy.logLevel ?? 'info' });
  log.info('shell.starting', { version: app.getVersion(), electron: process.versions.electron, platform: process.platform, packaged: app.isPackaged, policySource: policyResult.source });
  for (const problem of policyResult.problems) log.error('policy.invalid-key', { setting: problem.key, detail: problem.message });

  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => callback(decidePermissionRequest(permission, details)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin, details) => decidePermissionCheck(permission, origin, details));
  // Attachments « Télécharger »: Chromium's save dialog, titled in French.
  session.defaultSession.on('will-download', (_event, item) => {
    item.setSaveDialogOptions({ title: 'Enregistrer la pièce jointe', defaultPath: item.getFilename() });
    log?.info('attachment.download');
  });
  registerProtocols();
  await setUpNetwork();

  const platformUrl = (policy.platformUrl ?? process.env.RELAIS_PLATFORM_URL ?? '').trim();
  const actions: Record<TrayAction, () => void> = {
    open: () => showWindow('user'),
    patient: () => showWindow('user'),
    lock: () => host?.lock(),
    'sign-out': () => void host?.authHandlers['auth.signOut']({}),
    'dock-right': () => window?.dock('right'),
    'dock-left': () => window?.dock('left'),
    'always-on-top': () => {
      window?.setAlwaysOnTop(!window.alwaysOnTop);
      tray?.update({ alwaysOnTop: window?.alwaysOnTop ?? false });
    },
    'start-at-login': () => {
      const next = !app.getLoginItemSettings().openAtLogin;
      app.setLoginItemSettings({ openAtLogin: next, args: ['--hidden'] });
      tray?.update({ startAtLogin: next });
    },
    update: () => {
      const r = updates?.installIfReady(true);
      if (r?.waitingFor) void dialog.showMessageBox({ type: 'info', message: `La mise à jour attend : ${r.waitingFor}.`, buttons: ['OK'] });
    },
    diagnostic: () => void exportDiagnostic(platformUrl).catch((error: unknown) => log?.error('diagnostic.failed', { error })),
    quit,
  };
  // The tray exists before anything (alerts, sign-out) updates it.
  tray = new RelaisTray(ICON, actions);
  applyStartAtLogin();
  tray.update({ startAtLogin: startAtLoginState() });
  installJumpList();
  updateDockMenu(false, runTask);

  // Each professional's store is SQLCipher-encrypted with its own key, kept by safeStorage (OS
  // keychain / DPAPI / libsecret; never Linux's basic_text). Without one, composeCore refuses a
  // card or PSC professional (KEYCHAIN_UNAVAILABLE) unless the policy allows unencrypted stores.
  const secretStore = new SafeStorageSecretStore({ file: join(dataDir, 'secrets.json'), safeStorage });
  const encrypt = secretStore.isAvailable();
  if (!encrypt) log.warn('keychain.unavailable');
  const settings = effectiveSettings(dataDir);
  const modes = new Set(policy.signInModes ?? ['card', 'psc', 'demo']);
  // The card middleware (Cryptolib CPS; RELAIS_PKCS11_LIB overrides); the demo identity only when asked for.
  const cardReader = modes.has('card') ? await openCardReader().catch(() => null) : null;
  const envPsc = pscConfigFromEnv();
  const pscConfig = !modes.has('psc')
    ? null
    : policy.pscIssuer && policy.pscClientId
      ? { issuer: policy.pscIssuer, clientId: policy.pscClientId, ...(envPsc?.clientSecret ? { clientSecret: envPsc.clientSecret } : {}) }
      : envPsc;
  // No built-in platform: without a usable one Relais opens on a sign-in screen that says so.
  const platformError = platformUrlProblem(platformUrl);
  if (platformError) log.error('platform.not-configured', { detail: platformError.message });
  const demo = demoEnabled() && modes.has('demo');
  const started = new SessionHost({
    compose: { platformUrl, dataDir, encrypt, secretStore },
    cardReader,
    demoRpps: demo ? (process.env.RELAIS_RPPS ?? DEMO_GP_RPPS) : null,
    psc: pscConfig ? { config: pscConfig, openExternal: electronOpenExternal } : null,
    followLgc: settings.followLgc,
    onSignedIn: (composition) => {
      composition.core.background.start();
      const core = composition.core;
      log?.info('auth.signed-in');
      core.events.subscribe(
        desktopAlerts(
          {
            notify: (content, onClick) => notify(content, onClick, ICON),
            setUnacknowledged: (count) => {
              tray?.update({ unread: count });
              app.setBadgeCount(count);
            },
            showWindow: () => showWindow('user'),
            openPatient: (context) => core.openPatient(context, 'alert-notification').catch((error: unknown) => core.launchRejected(error)),
          },
          () => core.alerts.unacknowledged(),
        ),
      );
      const counts = core.outbox.counts();
      tray?.update({ signedIn: true, pendingOutbox: (counts.queued ?? 0) + (counts.sending ?? 0) });
      core.alerts.start();
      composition.push?.start();
    },
  });
  host = started;
  await started.start();
  registerIpc(started);
  control = await startControlServer(started, () => showWindow('launch'));
  writeInstanceFile(dataDir, { pid: process.pid, host: 'electron', controlUrl: control.url, token: control.token });
  channels = await startLaunchChannels(started, settings, () => showWindow('launch'));
  window = new MainWindow({
    preload: PRELOAD,
    dataDir,
    focusOnLaunch: () => policy.focusOnLaunch ?? false,
    quitting: () => quitting,
    // Windows logoff / shutdown: hiding on close would block it.
    onSessionEnd: () => {
      quitting = true;
    },
    onFirstCloseToTray: () =>
      notify({ title: 'Relais reste ouvert', body: 'Relais continue dans la zone de notification : les alertes et les lancements du logiciel du cabinet arrivent toujours.' }, () => showWindow('user'), ICON),
    onLoaded: (win: BrowserWindow) => {
      for (const event of started.replayForNewWindow()) win.webContents.send('relais:event', event);
    },
    log,
  });
  // Started with the session (login item, --hidden): straight to the tray.
  window.create(!process.argv.includes('--hidden'));
  tray.update({ alwaysOnTop: window.alwaysOnTop });
  if (demo && started.status().demoAllowed && !cardReader && !pscConfig) signInDemoWhenReachable(started);
  handleArgv(process.argv);
  for (const argv of pendingArgv.splice(0)) handleArgv(argv);

  updates = new UpdateController({
    feed: app.isPackaged ? updateFeed(policy) : null,
    currentVersion: app.getVersion(),
    source: electronUpdaterSource(policy),
    work: () => {
      const counts = host?.composition?.core.outbox.counts();
      return { pendingOutbox: (counts?.queued ?? 0) + (counts?.sending ?? 0), signing: signingInProgress(), editing: false };
    },
    onState: (state) => {
      if (state.status === 'ready') tray?.update({ updateReady: state.version });
    },
    log: (event, fields) => log?.info(event, fields),
  });
  updates.start();

  app.on('before-quit', (event) => {
    quitting = true;
    // A ready update installs on quit, unless something is still being sent.
    if (updates?.installIfReady(false).installed) return;
    if (!control) return;
    event.preventDefault();
    const closing = [control.close(), channels?.close(), host?.close()];
    control = null;
    removeInstanceFile(dataDir);
    updates?.stop();
    tray?.destroy();
    log?.info('shell.quit');
    void Promise.allSettled(closing)
      .then(() => log?.close())
      .finally(() => app.quit());
  });

  if (policyResult.problems.length > 0) {
    void dialog.showMessageBox({ type: 'warning', title: 'Relais', message: 'La stratégie de ce poste contient des erreurs.', detail: policyResult.problems.map((p) => p.message).join('\n') });
  }
  log.info('shell.started', { signInModes: [...modes].join(','), platformConfigured: !platformError });
}

start().catch((error: unknown) => {
  const shape = toErrorShape(error);
  log?.error('shell.start-failed', { code: shape.code, error });
  console.error('[relais] start failed', shape.code);
  dialog.showErrorBox('Relais', startFailureMessage(error));
  removeInstanceFile(dataDir);
  app.exit(1);
});
