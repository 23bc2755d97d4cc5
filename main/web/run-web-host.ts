import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Composition } from '../compose';
import { pscConfigFromEnv, systemBrowser, type OpenExternal, type PscConfig } from '../auth/psc';
import type { CardReader } from '../../native-bridges/card/types';
import type { SecretStore } from '../../native-bridges/secrets/port';
import { SessionHost } from '../session/session-host';
import { startControlServer, type ControlServer } from '../instance/control-server';
import { removeInstanceFile, writeInstanceFile } from '../instance/instance-file';
import { startLaunchChannels, type LaunchChannels } from '../launch/launch-channels';
import { effectiveSettings } from '../settings/settings';
import { createLogger, logDir, type Logger, type LogLevel } from '../logging/logger';
import { coreEventLogger } from '../logging/event-log';
import { toErrorShape } from '../errors';
import { startWebHost, type WebHost } from './web-host';

export interface RunWebHostOptions {
  platformUrl: string;
  dataDir: string;
  /**
   * The demo identity (RPPS) offered when no card is present. With `demo: true` and no card in
   * the reader, it is signed in at start (npm start, tests); null/absent: cards only.
   */
  rpps?: string | null;
  demo: boolean;
  /** The machine's PKCS#11 reader (Cryptolib CPS; SoftHSM or the fake token in tests). */
  cardReader?: CardReader | null;
  cardPollMs?: number;
  /**
   * Pro Santé Connect client of the install; default from RELAIS_PSC_* (main/auth/psc/env.ts),
   * opened in the OS default browser. null: not offered. Tests give the provider fixture and its headless browser.
   */
  psc?: { config: PscConfig; openExternal: OpenExternal } | null;
  /** Keychain + SQLCipher per professional (main/profiles); plain stores without. */
  secretStore?: SecretStore;
  encrypt?: boolean;
  port?: number;
  rendererDir?: string;
  /** The practice software's context file (else settings.json / RELAIS_CONTEXT_FILE). */
  contextFilePath?: string;
  /** Keep every followed patient's journal synced in the background (default on). */
  backgroundSync?: boolean;
  /** Watch the followed patients' alerts (default on) every `alertPollMs` (default 30 s). */
  alertWatcher?: boolean;
  alertPollMs?: number;
  /**
   * Where the technical log goes: `<dataDir>/logs` by default; RELAIS_LOG_DIR overrides it (the
   * e2e runs point it at test-results/logs/e2e so the log scan reads what they wrote).
   */
  logDir?: string;
}

export interface RunningWebHost {
  session: SessionHost;
  /** The signed-in professional's composition (throws when nobody is signed in). */
  readonly composition: Composition;
  web: WebHost;
  control: ControlServer;
  channels: LaunchChannels;
  log: Logger;
  stop(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = join(import.meta.dirname, '..', '..', 'dist', 'renderer');

function pscOfEnv(): { config: PscConfig; openExternal: OpenExternal } | null {
  const config = pscConfigFromEnv();
  return config ? { config, openExternal: systemBrowser() } : null;
}

/** Starts the whole web host: core, HTTP + WebSocket, loopback control endpoint, instance file. */
export async function runWebHost(options: RunWebHostOptions): Promise<RunningWebHost> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`renderer not built in ${rendererDir}: run npm run build:renderer`);
  }
  const log = createLogger({
    dir: options.logDir ?? process.env.RELAIS_LOG_DIR ?? logDir(options.dataDir),
    level: logLevelOf(process.env.RELAIS_LOG_LEVEL),
  });
  log.info('web-host.starting', { version: process.env.npm_package_version, node: process.versions.node, demo: options.demo, card: Boolean(options.cardReader) });
  try {
    return await startAll(options, rendererDir, log);
  } catch (error) {
    log.error('web-host.start-failed', { code: toErrorShape(error).code, error });
    await log.close();
    throw error;
  }
}

function logLevelOf(value: string | undefined): LogLevel {
  return value === 'error' || value === 'warn' || value === 'debug' ? value : 'info';
}

async function startAll(options: RunWebHostOptions, rendererDir: string, log: Logger): Promise<RunningWebHost> {
  const settings = effectiveSettings(options.dataDir, {
    RELAIS_CONTEXT_FILE: options.contextFilePath ?? process.env.RELAIS_CONTEXT_FILE,
  });
  const session = new SessionHost({
    compose: {
      platformUrl: options.platformUrl,
      dataDir: options.dataDir,
      ...(options.secretStore ? { secretStore: options.secretStore } : {}),
      ...(options.encrypt ? { encrypt: true } : {}),
      ...(options.alertPollMs !== undefined ? { alertPollMs: options.alertPollMs } : {}),
    },
    cardReader: options.cardReader ?? null,
    ...(options.cardPollMs !== undefined ? { cardPollMs: options.cardPollMs } : {}),
    demoRpps: options.demo ? (options.rpps ?? null) : null,
    psc: options.psc !== undefined ? options.psc : pscOfEnv(),
    followLgc: settings.followLgc,
    onSignedIn: (composition) => {
      log.info('auth.signed-in', { method: session.status().method });
      if (options.backgroundSync !== false) composition.core.background.start();
      if (options.alertWatcher !== false) composition.core.alerts.start();
      // Push only alongside the polling it slows down (tests that poll by hand turn both off).
      if (options.backgroundSync !== false) composition.push?.start();
    },
  });
  session.events.subscribe(coreEventLogger(log));
  await session.start();
  // No card in the reader and a demo identity offered: `npm start` opens on it, and says so.
  if (session.status().demoAllowed) await session.authHandlers['auth.signInDemo']({});
  const web = await startWebHost({ app: session, rendererDir, ...(options.port !== undefined ? { port: options.port } : {}) });
  const control = await startControlServer(session, () => log.info('launch.received', { via: 'control' }));
  const channels = await startLaunchChannels(session, settings, () => log.info('launch.received', { via: 'context-file' }));
  writeInstanceFile(options.dataDir, {
    pid: process.pid,
    host: 'web',
    controlUrl: control.url,
    token: control.token,
    appUrl: web.url,
  });
  log.info('web-host.started', { signedIn: session.status().signedIn });
  return {
    session,
    get composition(): Composition {
      const composition = session.composition;
      if (!composition) throw new Error('nobody is signed in');
      return composition;
    },
    web,
    control,
    channels,
    log,
    async stop() {
      await channels.close();
      removeInstanceFile(options.dataDir);
      await control.close();
      await web.close();
      await session.close();
      log.info('web-host.stopped');
      await log.close();
    },
  };
}
