/**
 * Pro Santé Connect (ANS) connection settings. Endpoints come from discovery, which PSC serves at
 * the non-standard `{issuer}/.well-known/wallet-openid-configuration` (docs/pro-sante-connect.md).
 */
export interface PscConfig {
  issuer: string;
  clientId: string;
  /** Confidential clients (client_secret_basic); absent: public client (PKCE only). */
  clientSecret?: string;
  /** Default `{issuer}/.well-known/wallet-openid-configuration`. */
  discoveryUrl?: string;
  /** Try `{issuer}/.well-known/openid-configuration` when the wallet document fails. Default false. */
  standardDiscoveryFallback?: boolean;
  /** Default `openid scope_all`. */
  scope?: string;
  /** Default `eidas1`; the ID token's `acr` must equal it. */
  acr?: string;
  /** Path of the loopback redirect on 127.0.0.1 (random port). Default `/psc/callback`. */
  redirectPath?: string;
  /** How long the professional has to sign in in the browser. Default 5 minutes. */
  signInTimeoutMs?: number;
  /** Tests only: accept an http:// issuer, and only on a loopback host. */
  allowInsecureLoopback?: boolean;
  /** HTTP timeout of each request to PSC, seconds. Default 30. */
  httpTimeoutSeconds?: number;
}

export const PSC_WALLET_DISCOVERY = '/.well-known/wallet-openid-configuration';
export const PSC_STANDARD_DISCOVERY = '/.well-known/openid-configuration';
export const PSC_DEFAULT_SCOPE = 'openid scope_all';
export const PSC_DEFAULT_ACR = 'eidas1';

/** Issuers of the ANS environments (the authorization endpoint is on the wallet host, from discovery). */
export const PSC_ISSUERS = {
  /** Bac à sable (BAS). */
  sandbox: 'https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet',
  /** Production; realm path as in the sandbox (to confirm in the connector's configuration). */
  production: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
} as const;

export function discoveryUrls(config: PscConfig): URL[] {
  const base = config.issuer.replace(/\/+$/, '');
  const urls = [new URL(config.discoveryUrl ?? `${base}${PSC_WALLET_DISCOVERY}`)];
  if (config.standardDiscoveryFallback) urls.push(new URL(`${base}${PSC_STANDARD_DISCOVERY}`));
  return urls;
}
