import { BrowserWindow, Menu, Notification, Tray, app, ipcMain, nativeImage, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { desktopAlerts } from '../features/panels/desktop-alerts';
import { SafeStorageSecretStore } from '../../native-bridges/secrets/safe-storage';
import { openCardReader } from '../../native-bridges/card/index';
import { SessionHost } from '../session/session-host';
import { pscConfigFromEnv } from '../auth/psc/env';
import { electronOpenExternal } from './open-external';
import { answerMediaRequest } from './media-protocol';
import { DEMO_GP_RPPS } from '../config/demo-identity';
import { demoEnabled, platformUrlProblem } from '../config/platform-url';
import { ERROR_MESSAGES_FR } from '../../contract/i18n/errors.fr';
import { toErrorShape } from '../errors';
import { startControlServer, type ControlServer } from '../instance/control-server';
import { removeInstanceFile, writeInstanceFile } from '../instance/instance-file';
import { ARGV_TERMINATOR, launchFromArgv } from '../launch/argv';
import { startLaunchChannels, type LaunchChannels } from '../launch/launch-channels';
import { effectiveSettings } from '../settings/settings';
import { PROTOCOL } from '../launch/url';
import { readStatic } from '../web/static-files';
import { decidePermissionCheck, decidePermissionRequest } from './permission-policy';
import { isAllowedNavigation, isTrustedSender } from './sender-check';
import { TRAY_ITEMS } from './tray-menu';
import { APP_ENTRY, APP_SCHEME, ELECTRON_CSP, MEDIA_SCHEME, mainWindowOptions } from './window-options';

const RENDERER_DIR = join(__dirname, '..', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');
const ICON = join(__dirname, '..', '..', 'installer', 'icons', 'tray.png');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true } },
]);

let window: BrowserWindow | null = null;
let tray: Tray | null = null;
let host: SessionHost | null = null;
let control: ControlServer | null = null;
let channels: LaunchChannels | null = null;
const pendingArgv: string[][] = [];

function handleArgv(argv: readonly string[]): void {
  if (!host) {
    pendingArgv.push([...argv]);
    return;
  }
  const target = host;
  try {
    const found = launchFromArgv(argv);
    // Before the sign-in the session host holds it and the window asks for the PIN.
    if (found.kind === 'launch') void target.openPatient(found.context, 'argv').catch((error: unknown) => target.launchRejected(error));
  } catch (error) {
    target.launchRejected(error);
  }
  showWindow();
}

function showWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(PRELOAD));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  win.webContents.on('did-finish-load', () => {
    for (const event of host?.replayForNewWindow() ?? []) win.webContents.send('relais:event', event);
  });
  // Closing the window keeps Relais in the tray; Quitter in the tray menu quits.
  win.on('close', (event) => {
    if (!quitting) {
      event.preventDefault();
      win.hide();
    }
  });
  void win.loadURL(APP_ENTRY);
  return win;
}

let quitting = false;

function createTray(): Tray {
  const t = new Tray(nativeImage.createFromPath(ICON));
  t.setToolTip('Relais');
  const actions: Record<string, () => void> = {
    open: showWindow,
    // The same lock as card removal / idle: the core refuses patient calls and tells the window.
    lock: () => host?.lock(),
    quit: () => {
      quitting = true;
      app.quit();
    },
  };
  t.setContextMenu(Menu.buildFromTemplate(TRAY_ITEMS.map((item) => ({ label: item.label, click: actions[item.id] }))));
  t.on('click', showWindow);
  return t;
}

function registerProtocols(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = await readStatic(RENDERER_DIR, new URL(request.url).pathname);
    if (!file) return new Response('Introuvable', { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { 'content-type': file.type, 'content-security-policy': ELECTRON_CSP },
    });
  });
  protocol.handle(MEDIA_SCHEME, (request) => answerMediaRequest(request, host));
}

function registerIpc(app: SessionHost): void {
  ipcMain.handle('relais:invoke', async (event, method: unknown, payload: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'untrusted sender' } };
    }
    return app.dispatch(method, payload);
  });
  app.events.subscribe((e) => window?.webContents.send('relais:event', e));
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
  // Windows: `Relais.exe -- "%1"`: after --, Chromium reads no switch from a crafted URL (argv.ts).
  // An older registration without -- is replaced.
  if (!app.isDefaultProtocolClient(PROTOCOL, process.execPath, [ARGV_TERMINATOR])) app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [ARGV_TERMINATOR]);

  await app.whenReady();
  // Microphone (voice notes) for our own top frame only; everything else denied (permission-policy.ts).
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => callback(decidePermissionRequest(permission, details)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin, details) => decidePermissionCheck(permission, origin, details));
  registerProtocols();
  const dataDir = process.env.RELAIS_DATA_DIR ?? app.getPath('userData');
  // Each professional's store is SQLCipher-encrypted with its own key, kept by safeStorage (OS
  // keychain / DPAPI / libsecret; never Linux's basic_text). Without one, composeCore refuses a
  // card or PSC professional (KEYCHAIN_UNAVAILABLE) unless settings.json allows unencrypted stores.
  const secretStore = new SafeStorageSecretStore({ file: join(dataDir, 'secrets.json'), safeStorage });
  const encrypt = secretStore.isAvailable();
  if (!encrypt) console.warn('[relais] trousseau indisponible : seule la démonstration ouvre une base non chiffrée (docs/secrets.md)');
  const settings = effectiveSettings(dataDir);
  // The card middleware (Cryptolib CPS; RELAIS_PKCS11_LIB overrides): without one, or without a
  // card in the reader, the demo identity is offered only when the install allows it (RELAIS_DEMO=1).
  const cardReader = await openCardReader().catch(() => null);
  const pscConfig = pscConfigFromEnv();
  // No built-in platform: an install names its platform (https, or loopback for the sandbox).
  // Without a usable one Relais still opens, on a sign-in screen that says so (PLATFORM_NOT_CONFIGURED).
  const platformUrl = process.env.RELAIS_PLATFORM_URL?.trim() ?? '';
  const platformError = platformUrlProblem(platformUrl);
  if (platformError) console.error(`[relais] ${ERROR_MESSAGES_FR.PLATFORM_NOT_CONFIGURED} (${platformError.message})`);
  const started = new SessionHost({
    compose: { platformUrl, dataDir, encrypt, secretStore },
    cardReader,
    // Demo identity only when asked for (RELAIS_DEMO=1: npm start, tests), never by default.
    demoRpps: demoEnabled() ? (process.env.RELAIS_RPPS ?? DEMO_GP_RPPS) : null,
    // Pro Santé Connect when the install has a client (RELAIS_PSC_*), in the system browser.
    psc: pscConfig ? { config: pscConfig, openExternal: electronOpenExternal } : null,
    followLgc: settings.followLgc,
    onSignedIn: (composition) => {
      composition.core.background.start();
      // Alerts: an OS notification per new alert (click → window + patient), unseen count on the tray.
      const core = composition.core;
      core.events.subscribe(
        desktopAlerts(
          {
            notify: (content, onClick) => {
              if (!Notification.isSupported()) return;
              const n = new Notification({ title: content.title, body: content.body, icon: ICON });
              n.on('click', onClick);
              n.show();
            },
            setUnacknowledged: (count, tooltip) => {
              tray?.setToolTip(tooltip);
              app.setBadgeCount(count);
            },
            showWindow,
            openPatient: (context) => core.openPatient(context, 'alert-notification').catch((error: unknown) => core.launchRejected(error)),
          },
          () => core.alerts.unacknowledged(),
        ),
      );
      core.alerts.start();
    },
  });
  host = started;
  await started.start();
  // Only an explicit demo install (RELAIS_DEMO=1) without card or PSC opens signed in; others on the sign-in screen.
  if (demoEnabled() && started.status().demoAllowed && !cardReader && !pscConfig) await started.authHandlers['auth.signInDemo']({});
  registerIpc(started);
  control = await startControlServer(started, showWindow);
  writeInstanceFile(dataDir, { pid: process.pid, host: 'electron', controlUrl: control.url, token: control.token });
  channels = await startLaunchChannels(started, settings, showWindow);
  window = createWindow();
  tray = createTray();
  handleArgv(process.argv);
  for (const argv of pendingArgv.splice(0)) handleArgv(argv);
  app.on('before-quit', () => {
    quitting = true;
    removeInstanceFile(dataDir);
    void control?.close();
    void channels?.close();
    void host?.close();
    tray?.destroy();
  });
}

start().catch(async (error) => {
  console.error('[relais] start failed', toErrorShape(error));
  const { dialog } = await import('electron');
  dialog.showErrorBox('Relais', "Relais n'a pas pu démarrer : la plateforme de coordination est injoignable ou l'identité du professionnel est inconnue.");
  app.exit(1);
});

