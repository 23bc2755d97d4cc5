import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RelaisError } from '../../contract';
import { machinePolicy } from '../config/policy';
import { applyPolicyToSettings } from '../config/policy-settings';
import { newInstallSecret } from '../launch/http-endpoint';
import { ensurePrivateDir } from '../store/private-files';

/**
 * Per-machine settings an IT person sets once (or deploys by GPO as the same JSON file):
 * the LGC launch channels and whether Relais follows the practice software's patient.
 */
export const SettingsSchema = z.object({
  contextFile: z
    .object({
      enabled: z.boolean().default(false),
      path: z.string().min(1).optional(),
      debounceMs: z.number().int().min(20).max(5_000).default(150),
      pollIntervalMs: z.number().int().min(100).max(60_000).default(2_000),
    })
    .default({ enabled: false, debounceMs: 150, pollIntervalMs: 2_000 }),
  launchEndpoint: z
    .object({
      enabled: z.boolean().default(false),
      port: z.number().int().min(1024).max(65_535).default(8791),
      secret: z.string().min(16).optional(),
    })
    .default({ enabled: false, port: 8791 }),
  /** Switch to the patient the practice software shows as soon as its context file changes. */
  followLgc: z.boolean().default(true),
  /**
   * Machine policy for professionals' local stores (docs/secrets.md). Without an OS keychain a
   * real professional's store cannot be encrypted, and Relais refuses to open it
   * (KEYCHAIN_UNAVAILABLE) unless IT sets `allowUnencrypted: true` here, knowingly.
   */
  storage: z.object({ allowUnencrypted: z.boolean().default(false) }).default({ allowUnencrypted: false }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export function settingsPath(dataDir: string): string {
  return join(dataDir, 'settings.json');
}

/**
 * Reads settings.json; a missing file gives the defaults, a broken one is a typed error (never
 * silently reset). The machine policy in force (main/config/policy.ts) beats it.
 */
export function loadSettings(dataDir: string): Settings {
  return applyPolicyToSettings(loadUserSettings(dataDir), machinePolicy().policy);
}

/** settings.json alone, without the machine policy. */
export function loadUserSettings(dataDir: string): Settings {
  const path = settingsPath(dataDir);
  if (!existsSync(path)) return SettingsSchema.parse({});
  try {
    return SettingsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new RelaisError('INVALID_INPUT', `settings.json is invalid: ${String(error).slice(0, 200)}`, 'settings');
  }
}

/** Writes settings owner-only (the endpoint secret is in it). */
export function saveSettings(dataDir: string, settings: Settings): void {
  ensurePrivateDir(dataDir);
  const path = settingsPath(dataDir);
  writeFileSync(path, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The endpoint secret is generated once per install, the first time the endpoint is enabled. */
export function ensureEndpointSecret(dataDir: string, settings: Settings): Settings {
  if (!settings.launchEndpoint.enabled || settings.launchEndpoint.secret) return settings;
  const next = { ...settings, launchEndpoint: { ...settings.launchEndpoint, secret: newInstallSecret() } };
  saveSettings(dataDir, next);
  return next;
}

/** Settings as a host starts with them: the file, then RELAIS_CONTEXT_FILE (handy for a one-off setup or a test). */
export function effectiveSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const user = loadUserSettings(dataDir);
  let settings = applyPolicyToSettings(user, machinePolicy().policy);
  // The endpoint may be enabled by the policy: its per-install secret is kept in the user's file
  // (never the policy's values, which must not be frozen into settings.json).
  if (settings.launchEndpoint.enabled && !settings.launchEndpoint.secret) {
    const secret = newInstallSecret();
    saveSettings(dataDir, { ...user, launchEndpoint: { ...user.launchEndpoint, secret } });
    settings = { ...settings, launchEndpoint: { ...settings.launchEndpoint, secret } };
  }
  const contextPath = env.RELAIS_CONTEXT_FILE;
  return contextPath ? { ...settings, contextFile: { ...settings.contextFile, enabled: true, path: contextPath } } : settings;
}
