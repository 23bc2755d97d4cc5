import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { effectiveSettings, loadSettings, saveSettings, SettingsSchema } from '../settings/settings';
import { installMachinePolicy, validatePolicy } from './policy';
import { applyPolicyToSettings } from './policy-settings';

afterEach(() => installMachinePolicy({ policy: {}, problems: [], source: null }));

describe('policy beats user settings', () => {
  it('each policy key replaces the user value', () => {
    const user = SettingsSchema.parse({ followLgc: true, launchEndpoint: { enabled: false, port: 9000 }, storage: { allowUnencrypted: true } });
    const s = applyPolicyToSettings(user, { followLgc: false, launchEndpointEnabled: true, launchEndpointPort: 8791, allowUnencryptedStores: false, contextFilePath: '/srv/lgc/ctx.json' });
    expect(s).toMatchObject({ followLgc: false, launchEndpoint: { enabled: true, port: 8791 }, storage: { allowUnencrypted: false }, contextFile: { enabled: true, path: '/srv/lgc/ctx.json' } });
    expect(applyPolicyToSettings(user, {})).toEqual(user);
  });

  it('the core reads settings through the policy in force, and the policy is never written into settings.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-policy-'));
    try {
      saveSettings(dir, SettingsSchema.parse({ storage: { allowUnencrypted: true } }));
      installMachinePolicy(validatePolicy({ allowUnencryptedStores: false, launchEndpointEnabled: true }, 'test'));
      expect(loadSettings(dir).storage.allowUnencrypted).toBe(false);
      const eff = effectiveSettings(dir, {});
      expect(eff.launchEndpoint.enabled).toBe(true);
      expect(eff.launchEndpoint.secret).toMatch(/.{16,}/);
      const onDisk = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
      expect(onDisk.storage.allowUnencrypted).toBe(true);
      expect(onDisk.launchEndpoint).toMatchObject({ enabled: false, secret: eff.launchEndpoint.secret });
      // Same secret on the next start.
      expect(effectiveSettings(dir, {}).launchEndpoint.secret).toBe(eff.launchEndpoint.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
