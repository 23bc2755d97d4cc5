/**
 * Opens the PSC authorization URL in the professional's system browser (never in an embedded
 * view: the browser holds the e-CPS / CPS session and the user sees the real address bar).
 * Electron: `shell.openExternal` (main/electron/open-external.ts). Web host: the page is already
 * in a browser, so the URL is handed to the window, which navigates or opens a tab itself.
 */
export type OpenExternal = (url: string) => Promise<void>;

/** For the web host: keeps the URL for the window to pick up (and tells listeners). */
export function createUrlRelay(): { open: OpenExternal; take(): string | null; onUrl(listener: (url: string) => void): () => void } {
  let pending: string | null = null;
  const listeners = new Set<(url: string) => void>();
  return {
    open: async (url) => {
      pending = url;
      for (const l of listeners) l(url);
    },
    take: () => {
      const url = pending;
      pending = null;
      return url;
    },
    onUrl: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
