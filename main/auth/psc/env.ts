import type { PscConfig } from './config';

/**
 * The install's Pro Santé Connect client, from the environment (deployed with the machine's
 * other settings): RELAIS_PSC_ISSUER (e.g. the ANS sandbox issuer
 * https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet), RELAIS_PSC_CLIENT_ID, and
 * RELAIS_PSC_CLIENT_SECRET for a confidential client. null when issuer or client id is missing:
 * the sign-in screen then does not offer PSC.
 */
export function pscConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PscConfig | null {
  const issuer = env.RELAIS_PSC_ISSUER?.trim();
  const clientId = env.RELAIS_PSC_CLIENT_ID?.trim();
  if (!issuer || !clientId) return null;
  const clientSecret = env.RELAIS_PSC_CLIENT_SECRET?.trim();
  return { issuer, clientId, ...(clientSecret ? { clientSecret } : {}) };
}
