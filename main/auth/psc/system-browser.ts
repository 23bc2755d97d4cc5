import { spawn } from 'node:child_process';
import type { OpenExternal } from './open-external';

/**
 * The web host's way to the system browser. Its window is a browser tab that must stay on
 * Relais, and a tab opened by script once the URL is ready (after an await, no user gesture)
 * is eaten by popup blockers; the host runs on the professional's own machine, so it asks the
 * OS to open the URL in the default browser, as Electron's shell.openExternal does. Arguments
 * are passed without a shell (the URL's `&` stay literal); only https (or, for the local test
 * provider, http on the loopback) leaves the process.
 */
export function systemBrowser(options: { allowLoopbackHttp?: boolean } = {}): OpenExternal {
  return async (url) => {
    const parsed = new URL(url);
    const loopback = parsed.protocol === 'http:' && (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost');
    if (parsed.protocol !== 'https:' && !(options.allowLoopbackHttp && loopback)) throw new Error('refusing to open a non-https URL');
    const [command, args] =
      process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', parsed.href]]
        : process.platform === 'darwin'
          ? ['open', [parsed.href]]
          : ['xdg-open', [parsed.href]];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { detached: true, stdio: 'ignore' });
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
  };
}
