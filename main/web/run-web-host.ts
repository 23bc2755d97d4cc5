import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { composeCore, type Composition } from '../compose';
import { startControlServer, type ControlServer } from '../instance/control-server';
import { removeInstanceFile, writeInstanceFile } from '../instance/instance-file';
import { startLaunchChannels, type LaunchChannels } from '../launch/launch-channels';
import { effectiveSettings } from '../settings/settings';
import { startWebHost, type WebHost } from './web-host';

export interface RunWebHostOptions {
  platformUrl: string;
  dataDir: string;
  rpps: string;
  demo: boolean;
  port?: number;
  rendererDir?: string;
  /** The practice software's context file (else settings.json / RELAIS_CONTEXT_FILE). */
  contextFilePath?: string;
  /** Keep every followed patient's journal synced in the background (default on). */
  backgroundSync?: boolean;
  /** Watch the followed patients' alerts (default on) every `alertPollMs` (default 30 s). */
  alertWatcher?: boolean;
  alertPollMs?: number;
}

export interface RunningWebHost {
  composition: Composition;
  web: WebHost;
  control: ControlServer;
  channels: LaunchChannels;
  stop(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = join(import.meta.dirname, '..', '..', 'dist', 'renderer');

/** Starts the whole web host: core, HTTP + WebSocket, loopback control endpoint, instance file. */
export async function runWebHost(options: RunWebHostOptions): Promise<RunningWebHost> {
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`renderer not built in ${rendererDir}: run npm run build:renderer`);
  }
  const composition = await composeCore(options);
  const web = await startWebHost({
    core: composition.core,
    dispatch: composition.dispatch,
    rendererDir,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const control = await startControlServer(composition.core);
  if (options.backgroundSync !== false) composition.core.background.start();
  const settings = effectiveSettings(options.dataDir, {
    RELAIS_CONTEXT_FILE: options.contextFilePath ?? process.env.RELAIS_CONTEXT_FILE,
  });
  composition.core.followLgc = settings.followLgc;
  const channels = await startLaunchChannels(composition.core, settings);
  if (options.alertWatcher !== false) composition.core.alerts.start();
  writeInstanceFile(options.dataDir, {
    pid: process.pid,
    host: 'web',
    controlUrl: control.url,
    token: control.token,
    appUrl: web.url,
  });
  return {
    composition,
    web,
    control,
    channels,
    async stop() {
      await channels.close();
      removeInstanceFile(options.dataDir);
      await control.close();
      await web.close();
      await composition.close();
    },
  };
}
