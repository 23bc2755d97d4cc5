/**
 * Where the PKCS#11 middleware is: RELAIS_PKCS11_LIB (or the settings value) first, then the
 * Cryptolib CPS install paths per OS (DOMAIN.md; install paths vary, so several are probed).
 * In tests RELAIS_PKCS11_LIB points at SoftHSM2 (/usr/lib/softhsm/libsofthsm2.so).
 */
import { existsSync } from 'node:fs';

export function middlewareCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  switch (platform) {
    case 'win32': {
      const root = env.SystemRoot ?? env.windir ?? 'C:\\Windows';
      const is64 = env.PROCESSOR_ARCHITECTURE === 'AMD64' || env.PROCESSOR_ARCHITEW6432 === 'AMD64' || process.arch === 'x64';
      const names = is64 ? ['cps3_pkcs11_w64.dll', 'cps3_pkcs11_w32.dll'] : ['cps3_pkcs11_w32.dll'];
      return names.map((n) => `${root}\\System32\\${n}`);
    }
    case 'darwin':
      return ['/usr/local/lib/libcps3_pkcs11_osx.dylib', '/Library/Frameworks/cps3_pkcs11_osx.framework/libcps3_pkcs11_osx.dylib'];
    default:
      return [
        '/usr/local/lib/libcps3_pkcs11_lux.so',
        '/usr/lib/libcps3_pkcs11_lux.so',
        '/usr/lib64/libcps3_pkcs11_lux.so',
        '/usr/lib/x86_64-linux-gnu/libcps3_pkcs11_lux.so',
        '/opt/santesocial/CPS/lib/libcps3_pkcs11_lux.so',
        '/usr/local/galss/lib/libcps3_pkcs11_lux.so',
      ];
  }
}

export interface MiddlewareLookup {
  /** From the settings (user choice); wins over the environment. */
  configured?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (path: string) => boolean;
}

/** The library to load, or null when no middleware is installed (Relais then runs in demo mode). */
export function findMiddleware(lookup: MiddlewareLookup = {}): string | null {
  const env = lookup.env ?? process.env;
  const exists = lookup.exists ?? existsSync;
  const explicit = lookup.configured ?? env.RELAIS_PKCS11_LIB;
  if (explicit) return exists(explicit) ? explicit : null;
  return middlewareCandidates(lookup.platform, env).find((p) => exists(p)) ?? null;
}
