import { join } from 'node:path';
import { RelaisError, type Professional } from '../contract';
import { createApiDispatcher, type ApiDispatcher } from './api/dispatch';
import { RelaisCore } from './core';
import { createFhirPlatform } from './platform/fhir/index';
import type { Platform } from './platform/port';
import { LocalStore } from './store/store';
import type { BackoffPolicy } from './outbox/policy';

export interface ComposeOptions {
  platformUrl: string;
  dataDir: string;
  /** RPPS of the signed-in professional. Until card sign-in exists, the demo identity. */
  rpps: string;
  demo: boolean;
  platform?: Platform;
  /** Outbox retry backoff (docs/outbox.md); tests shorten it. */
  outboxBackoff?: BackoffPolicy;
  /** Alert watcher poll interval in ms (default 30 s; RELAIS_ALERT_POLL_MS overrides); tests shorten it. */
  alertPollMs?: number;
}

export interface Composition {
  core: RelaisCore;
  dispatch: ApiDispatcher;
  store: LocalStore;
  close(): Promise<void>;
}

/** Composition root shared by both hosts: wires the real adapters into the core. */
export async function composeCore(options: ComposeOptions): Promise<Composition> {
  const platform = options.platform ?? createFhirPlatform({ baseUrl: options.platformUrl });
  const professional: Professional | null = await platform.findProfessionalByRpps(options.rpps);
  if (!professional) throw new RelaisError('FORBIDDEN', `no professional with RPPS ${options.rpps} on the platform`);
  // One store per professional: on a shared install, nobody reads another's cache.
  const store = new LocalStore(join(options.dataDir, 'profiles', professional.rpps, 'store.db'));
  const core = new RelaisCore({
    platform,
    store,
    professional,
    demo: options.demo,
    ...(options.outboxBackoff ? { outboxBackoff: options.outboxBackoff } : {}),
    ...alertPollOption(options.alertPollMs),
  });
  // The outbox sends what is waiting (also what a previous run left) from the start.
  core.outbox.start();
  return {
    core,
    dispatch: createApiDispatcher(core),
    store,
    close: async () => {
      await core.background.stop();
      await core.alerts.stop();
      await core.outbox.stop();
      core.outbox.close();
      store.close();
    },
  };
}

function alertPollOption(ms: number | undefined): { alertPollMs?: number } {
  const fromEnv = Number(process.env.RELAIS_ALERT_POLL_MS);
  const value = ms ?? (Number.isFinite(fromEnv) && fromEnv >= 200 ? fromEnv : undefined);
  return value !== undefined ? { alertPollMs: value } : {};
}
