import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The one data directory of a user, the same for every process of theirs: the Electron shell,
 * the web host and `relais launch` (which finds the running instance through its instance.json).
 * Electron's own profile (cookies, caches, the single-instance lock) lives in a sub-folder of it
 * (main/electron sets userData there), so the lock follows RELAIS_DATA_DIR too.
 *   RELAIS_DATA_DIR (tests, a custom install) › Windows %APPDATA%\Relais › macOS
 *   ~/Library/Application Support/Relais › elsewhere ~/.relais
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const explicit = env.RELAIS_DATA_DIR?.trim();
  if (explicit) return explicit;
  if (platform === 'win32') return join(env.APPDATA?.trim() || join(home, 'AppData', 'Roaming'), 'Relais');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Relais');
  return join(home, '.relais');
}

/** Electron's profile inside the data directory. */
export function chromiumProfileDir(dataDir: string): string {
  return join(dataDir, 'chromium');
}
