import type { Settings } from '../settings/settings';
import type { MachinePolicy } from './policy';

/**
 * The machine policy beats the user's settings.json (issue 16, item 3): each key the policy
 * sets replaces the user's value. Pure, so the override order is tested.
 */
export function applyPolicyToSettings(settings: Settings, policy: MachinePolicy): Settings {
  const next: Settings = { ...settings, contextFile: { ...settings.contextFile }, launchEndpoint: { ...settings.launchEndpoint }, storage: { ...settings.storage } };
  if (policy.contextFilePath !== undefined) next.contextFile = { ...next.contextFile, enabled: true, path: policy.contextFilePath };
  if (policy.followLgc !== undefined) next.followLgc = policy.followLgc;
  if (policy.launchEndpointEnabled !== undefined) next.launchEndpoint.enabled = policy.launchEndpointEnabled;
  if (policy.launchEndpointPort !== undefined) next.launchEndpoint.port = policy.launchEndpointPort;
  if (policy.allowUnencryptedStores !== undefined) next.storage.allowUnencrypted = policy.allowUnencryptedStores;
  return next;
}
