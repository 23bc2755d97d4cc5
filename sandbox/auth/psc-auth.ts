/**
 * Pro Santé Connect access tokens accepted as bearer tokens by the sandbox platform, as a real
 * coordination platform does when it is a PSC relying party: a token the platform did not issue
 * is shown to the provider's userinfo endpoint; the provider's answer names the professional
 * (`SubjectNameID` = idNatPS), the platform finds its Practitioner and derives the role as for a
 * card (contract/roles.ts roleOf, from the Practitioner's profession). PSC signs in health
 * professionals only: a structure-staff idNatPS (CPE) is never accepted this way.
 *
 * A token must also have been issued to a client this platform accepts (Relais's PSC client):
 * the provider's token introspection (RFC 7662, with the platform's own client credentials) says
 * whether it is active and to which client (`client_id` / `azp`). Without that check, any other
 * application a professional signed in to with PSC could replay its token here as them.
 *
 * Answers are cached per token for a short time (the provider is not asked on every request),
 * keyed by a SHA-256 of the token so the token itself is kept nowhere; tokens are never logged.
 */
import { createHash } from 'node:crypto';
import { Operator } from '@medplum/core';
import type { Practitioner } from '@medplum/fhirtypes';
import { roleOf, type Role } from '../../contract/roles';
import { ANS } from '../fhir/systems';
import type { IndexedRepository } from '../repository';
import type { SignedInProfessional } from './card-auth';

export interface PscAuthOptions {
  /** PSC issuer, e.g. https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet. */
  issuer: string;
  /** Client ids whose access tokens are accepted (Relais's PSC client). Required: no client, no PSC. */
  clientIds: string[];
  /**
   * The platform's own credentials at the provider, to introspect tokens (RFC 7662). `endpoint`
   * default: `introspection_endpoint` of the discovery document.
   */
  introspection: { clientId: string; clientSecret: string; endpoint?: string };
  /** Userinfo endpoint; default: from `{issuer}/.well-known/wallet-openid-configuration` (PSC's discovery). */
  userinfoEndpoint?: string;
  /** How long an answer of the provider is reused for the same token, ms (default 60 s). */
  cacheTtlMs?: number;
  /** Timeout of each call to the provider, ms (default 10 s). */
  timeoutMs?: number;
  now?: () => number;
}

export type PscHolder = { professional: SignedInProfessional; role: Role };

/** `unavailable`: the provider could not be asked (the platform answers 503, not 401: the token may be fine). */
export type PscVerdict = PscHolder | 'rejected' | 'unknown-professional' | 'unavailable';

export interface PscAuth {
  /** Who holds this PSC access token, by the provider's userinfo (cached); never throws. */
  verify(token: string): Promise<PscVerdict>;
  /** Forgets cached answers (tests: « the provider revoked the session »). */
  clearCache(): void;
}

export function createPscAuth(options: PscAuthOptions, repo: IndexedRepository): PscAuth {
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cache = new Map<string, { expires: number; verdict: Exclude<PscVerdict, 'unavailable'> }>();
  if (options.clientIds.length === 0) throw new Error('PSC: clientIds must name the client(s) whose tokens this platform accepts');
  let discovered: Promise<{ userinfo: string; introspection: string }> | null = null;

  const discover = async (): Promise<{ userinfo: string; introspection: string }> => {
    const fixed = { userinfo: options.userinfoEndpoint, introspection: options.introspection.endpoint };
    if (fixed.userinfo && fixed.introspection) return { userinfo: fixed.userinfo, introspection: fixed.introspection };
    const base = options.issuer.replace(/\/+$/, '');
    const response = await fetch(`${base}/.well-known/wallet-openid-configuration`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`PSC discovery: HTTP ${response.status}`);
    const doc = (await response.json()) as { issuer?: unknown; userinfo_endpoint?: unknown; introspection_endpoint?: unknown };
    // The document must be the configured issuer's, or any provider could vouch for tokens.
    if (typeof doc.issuer !== 'string' || doc.issuer.replace(/\/+$/, '') !== base) throw new Error('PSC discovery: issuer mismatch');
    const userinfo = fixed.userinfo ?? doc.userinfo_endpoint;
    const introspection = fixed.introspection ?? doc.introspection_endpoint;
    if (typeof userinfo !== 'string') throw new Error('PSC discovery: no userinfo_endpoint');
    if (typeof introspection !== 'string') throw new Error('PSC discovery: no introspection_endpoint');
    return { userinfo, introspection };
  };

  /** Active, and issued to one of our clients? null: the provider could not be asked. */
  const introspect = async (url: string, token: string): Promise<boolean | null> => {
    const { clientId, clientSecret } = options.introspection;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const answer = (await response.json().catch(() => null)) as { active?: unknown; client_id?: unknown; azp?: unknown } | null;
    if (answer?.active !== true) return false;
    const issuedTo = typeof answer.client_id === 'string' ? answer.client_id : typeof answer.azp === 'string' ? answer.azp : null;
    return issuedTo !== null && options.clientIds.includes(issuedTo);
  };

  const resolve = async (idNatPs: string): Promise<PscHolder | null> => {
    // A health professional's idNatPS is '8' + RPPS; ADELI ('0' + …) and staff ('3' + …) are not
    // in this platform's referential by that identifier.
    if (!/^8\d{11}$/.test(idNatPs)) return null;
    const found = await repo.searchOne<Practitioner>({
      resourceType: 'Practitioner',
      filters: [{ code: 'identifier', operator: Operator.EQUALS, value: `${ANS.rppsSystem}|${idNatPs.slice(1)}` }],
    });
    if (!found?.id) return null;
    const professionCode = found.qualification?.flatMap((q) => q.code.coding ?? []).find((c) => c.system === ANS.professionCodeSystem)?.code ?? null;
    return { professional: { id: found.id, kind: 'CPS', idNatPs }, role: roleOf({ cardKind: 'CPS', professionCode }) };
  };

  const ask = async (token: string): Promise<PscVerdict> => {
    let endpoints: { userinfo: string; introspection: string };
    try {
      discovered ??= discover();
      endpoints = await discovered;
    } catch {
      discovered = null;
      return 'unavailable';
    }
    const ours = await introspect(endpoints.introspection, token);
    if (ours === null) return 'unavailable';
    if (!ours) return 'rejected';
    const url = endpoints.userinfo;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return 'unavailable';
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return 'rejected';
    }
    if (!response.ok) {
      await response.body?.cancel();
      return 'unavailable';
    }
    let info: unknown;
    try {
      info = await response.json();
    } catch {
      return 'rejected';
    }
    const idNatPs = (info as { SubjectNameID?: unknown } | null)?.SubjectNameID;
    if (typeof idNatPs !== 'string') return 'rejected';
    return (await resolve(idNatPs)) ?? 'unknown-professional';
  };

  return {
    async verify(token) {
      const key = createHash('sha256').update(token).digest('base64url');
      const t = now();
      for (const [k, v] of cache) if (v.expires <= t) cache.delete(k);
      const cached = cache.get(key);
      if (cached) return cached.verdict;
      const verdict = await ask(token);
      if (verdict !== 'unavailable') cache.set(key, { expires: t + ttl, verdict });
      return verdict;
    },
    clearCache() {
      cache.clear();
    },
  };
}
