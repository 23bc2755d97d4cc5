import type { MachinePolicy } from '../../config/policy';
import { authenticodeVerifier } from './publisher';
import type { UpdateFeed, UpdateInfo, UpdateSource } from './update-policy';

/**
 * The thin adapter to electron-updater (generic provider): it fetches the channel file, downloads
 * in the background, checks the sha512 and, on Windows, the installer's Authenticode publisher
 * (`publisherName` written into app-update.yml by electron-builder); macOS checks the code
 * signature through Squirrel.Mac. Downgrades are refused here too (allowDowngrade = false).
 * On Windows the publisher check is ours (publisher.ts): the policy's `updatePublisherName`
 * beats app-update.yml, and an unreadable signature refuses the update instead of passing it.
 * Loaded lazily: the module touches Electron's app on first use.
 */
export function electronUpdaterSource(policy: MachinePolicy = {}): UpdateSource {
  let updater: import('electron-updater').AppUpdater | null = null;
  let progress: ((percent: number) => void) | null = null;
  const get = async (feed: UpdateFeed) => {
    if (!updater) {
      const { autoUpdater } = await import('electron-updater');
      autoUpdater.autoDownload = false;
      autoUpdater.autoInstallOnAppQuit = false; // UpdateController decides (pending work).
      autoUpdater.allowDowngrade = false;
      // NsisUpdater only (Windows): the hook receives app-update.yml's publisherName and the file.
      if ('verifyUpdateCodeSignature' in autoUpdater) {
        (autoUpdater as import('electron-updater').NsisUpdater).verifyUpdateCodeSignature = authenticodeVerifier(policy);
      }
      autoUpdater.on('download-progress', (p: { percent: number }) => progress?.(p.percent));
      updater = autoUpdater;
    }
    updater.allowPrerelease = feed.channel !== 'stable';
    updater.channel = feed.channel === 'stable' ? 'latest' : feed.channel;
    updater.setFeedURL({ provider: 'generic', url: feed.url, channel: updater.channel });
    return updater;
  };
  return {
    async latest(feed): Promise<UpdateInfo> {
      const u = await get(feed);
      const result = await u.checkForUpdates();
      if (!result) throw new Error('electron-updater: no answer (not packaged?)');
      const info = result.updateInfo;
      return { version: info.version, files: info.files.map((f) => ({ url: f.url, sha512: f.sha512, ...(f.size ? { size: f.size } : {}) })) };
    },
    async download(feed, _info, onProgress) {
      const u = await get(feed);
      progress = onProgress;
      try {
        const files = await u.downloadUpdate();
        return files[0] ?? '';
      } finally {
        progress = null;
      }
    },
    install(_file, relaunch) {
      // Silent install (per-machine NSIS/MSI elevates through its own service), then relaunch when asked.
      updater?.quitAndInstall(true, relaunch);
    },
  };
}
