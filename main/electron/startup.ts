import { toErrorShape } from '../errors';

/**
 * Start-up decisions of the shell without Electron (issue 16, item 0): how long to wait before
 * trying the platform again, and what to tell the user when the start fails — plainly, naming
 * the real cause (a native module built for another ABI is not « the platform is unreachable »).
 */

/** Delays between sign-in attempts while the platform is down: 5 s, 10 s, 20 s … capped at 2 min. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempt), 120_000);
}

/** Errors worth another try later: the platform is down or answers an error; nothing else. */
export function isTransient(error: unknown): boolean {
  const { code } = toErrorShape(error);
  return code === 'PLATFORM_UNREACHABLE' || code === 'PLATFORM_ERROR';
}

/**
 * better-sqlite3 (and the other native modules) compiled for Node's ABI loaded in Electron:
 * « was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version
 * of Node.js requires NODE_MODULE_VERSION 145 ».
 */
export function abiMismatch(error: unknown): { built: string; needed: string } | null {
  const text = error instanceof Error ? `${error.message}\n${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
  const m = /NODE_MODULE_VERSION (\d+)[\s\S]*?NODE_MODULE_VERSION (\d+)/.exec(text);
  if (m) return { built: m[1]!, needed: m[2]! };
  return /invalid ELF header|not a valid Win32 application|mach-o, but wrong architecture/i.test(text) ? { built: '?', needed: '?' } : null;
}

export const ABI_MESSAGE_FR =
  "Relais n'a pas pu démarrer : un module de l'application (base de données locale) a été compilé pour une autre version d'Electron. " +
  "L'installation est incomplète : réinstallez Relais avec le paquet fourni par votre service informatique (les modules natifs doivent être reconstruits pour Electron, voir docs/deployment.md).";

/** The dialog text of a failed start, by cause. */
export function startFailureMessage(error: unknown): string {
  if (abiMismatch(error)) return ABI_MESSAGE_FR;
  if (isTransient(error)) return "Relais n'a pas pu démarrer : la plateforme de coordination est injoignable. Réessayez dans un instant.";
  return "Relais n'a pas pu démarrer. Le journal technique (dossier « logs » des données de Relais) indique la cause ; « Exporter un diagnostic » le joint pour le support.";
}

/** Electron's `session.resolveProxy` answer (« PROXY host:3128; DIRECT ») as a proxy URL, or null for DIRECT. */
export function proxyUrlFromPac(answer: string): string | null {
  for (const part of answer.split(';').map((s) => s.trim())) {
    const m = /^(PROXY|HTTPS|SOCKS5?|SOCKS4)\s+(\S+)$/i.exec(part);
    if (m) {
      const kind = m[1]!.toUpperCase();
      const scheme = kind === 'HTTPS' ? 'https' : kind.startsWith('SOCKS') ? (kind === 'SOCKS4' ? 'socks4' : 'socks5') : 'http';
      return `${scheme}://${m[2]}`;
    }
    if (/^DIRECT$/i.test(part)) return null;
  }
  return null;
}
