import { join } from 'node:path';
import { RelaisError, type Professional } from '../contract';
import { createApiDispatcher, type ApiDispatcher } from './api/dispatch';
import { RelaisCore } from './core';
import { createFhirPlatform } from './platform/fhir/index';
import type { Platform } from './platform/port';
import { LocalStore } from './store/store';

export interface ComposeOptions {
  platformUrl: string;
  dataDir: string;
  /** RPPS of the signed-in professional. Until card sign-in exists, the demo identity. */
  rpps: string;
  demo: boolean;
  platform?: Platform;
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
  const core = new RelaisCore({ platform, store, professional, demo: options.demo });
  return {
    core,
    dispatch: createApiDispatcher(core),
    store,
    close: async () => {
      await core.background.stop();
      store.close();
    },
  };
}
