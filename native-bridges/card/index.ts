export * from './types';
export * from './certificate';
export * from './middleware';
export * from './watch';
export * from './signature-key';
export { FakeCardReader, type FakeToken } from './fake-reader';

import { findMiddleware, type MiddlewareLookup } from './middleware';
import type { CardReader } from './types';

/**
 * The PKCS#11 reader when a middleware is found (RELAIS_PKCS11_LIB, settings, Cryptolib CPS
 * paths), else null: Relais then runs with the demo identity. pkcs11js is loaded lazily so a
 * machine without the native module still starts.
 */
export async function openCardReader(lookup: MiddlewareLookup = {}): Promise<CardReader | null> {
  const lib = findMiddleware(lookup);
  if (!lib) return null;
  const { Pkcs11CardReader } = await import('./pkcs11-reader');
  return new Pkcs11CardReader(lib);
}
