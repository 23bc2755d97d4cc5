import type { LaunchTarget } from './launch-target';
import type { Settings } from '../settings/settings';
import { watchContextFile } from './context-file';
import { startLaunchHttpEndpoint } from './http-endpoint';

export interface LaunchChannels {
  endpointUrl: string | null;
  close(): Promise<void>;
}

/**
 * Starts the optional launch channels of settings.json — the practice software's context file
 * and the loopback HTTP endpoint — and routes what they deliver into the core.
 * (URL, command line and `relais launch` come through the hosts and the control endpoint.)
 */
export async function startLaunchChannels(core: LaunchTarget, settings: Settings, onLaunch: () => void = () => {}): Promise<LaunchChannels> {
  const closers: Array<() => Promise<void> | void> = [];
  const { contextFile, launchEndpoint } = settings;
  if (contextFile.enabled && contextFile.path) {
    const watcher = watchContextFile({
      path: contextFile.path,
      debounceMs: contextFile.debounceMs,
      pollIntervalMs: contextFile.pollIntervalMs,
      onContext: (context) => {
        core.lgcContextChanged(context);
        if (core.followLgc) onLaunch();
      },
      onError: (error) => core.launchRejected(error),
    });
    closers.push(() => watcher.close());
  }
  let endpointUrl: string | null = null;
  if (launchEndpoint.enabled && launchEndpoint.secret) {
    const endpoint = await startLaunchHttpEndpoint({
      port: launchEndpoint.port,
      secret: launchEndpoint.secret,
      onContext: async (context) => {
        onLaunch();
        await core.openPatient(context, 'http');
      },
      onError: (error) => core.launchRejected(error),
    });
    endpointUrl = endpoint.url;
    closers.push(() => endpoint.close());
  }
  return {
    endpointUrl,
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
