import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron executable when it was downloaded, or the reason it cannot run here. */
export function findElectronBinary(): { path: string } | { reason: string } {
  if (process.env.RELAIS_FORCE_WEB === '1') return { reason: 'RELAIS_FORCE_WEB=1' };
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { reason: 'binaire Electron non installé, ELECTRON_SKIP_BINARY_DOWNLOAD' };
  } catch {
    return { reason: 'binaire Electron non installé, ELECTRON_SKIP_BINARY_DOWNLOAD' };
  }
}
