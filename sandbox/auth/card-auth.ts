/**
 * Card sign-in of the sandbox platform (challenge-response), mounted outside /fhir:
 *
 *   POST /auth/challenge → { nonce, expiresAt }        (nonce: 32 random bytes, base64url; single
 *                                                        use, 60 s, at most maxChallenges live)
 *   POST /auth/card { certificatePem, origin, nonce, signedAt, signature }
 *        → { accessToken, tokenType: 'Bearer', expiresIn, professional: { id, kind, idNatPs } }
 *
 * The signature (base64, RSA PKCS#1 v1.5 SHA-256, CKM_SHA256_RSA_PKCS) is over the UTF-8 bytes of
 *
 *   relais-card-auth-v1\n<origin>\n<nonce>\n<signedAt>
 *
 * where origin must be THIS platform's public origin (a signature a fake platform obtained for
 * itself, with our relayed nonce, is refused), signedAt within ± maxClockSkewMs of our clock, and
 * the nonce one we issued, unexpired and unused. The certificate must be issued (signature and
 * name) by a trusted root, valid now and not a CA; the holder must be known (Practitioner by RPPS
 * for a CPS, SANDBOX_STAFF for a CPE). Tokens are opaque, random, short-lived (tokenTtlSeconds),
 * kept in memory under their SHA-256 only; `validate` is what the FHIR endpoint asks.
 */
import { X509Certificate, randomBytes, verify as verifySignature } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Operator } from '@medplum/core';
import type { Practitioner } from '@medplum/fhirtypes';
import { roleOf, type Role } from '../../contract/roles';
import { ANS } from '../fhir/systems';
import type { IndexedRepository } from '../repository';
import { secretKey } from './secret';
import { SANDBOX_STAFF } from './staff';

export interface CardAuthOptions {
  /** PEM certificates of the trusted roots (tests: « TEST AC IGC-SANTE FORT PERSONNES »). */
  trustedRootsPem: string[];
  /** Lifetime of an access token in seconds (default 600). */
  tokenTtlSeconds?: number;
  /** Lifetime of a challenge in ms (default 60 s). */
  challengeTtlMs?: number;
  /** Live challenges kept at most (default 10,000): beyond, the oldest is dropped, so POST floods cannot grow memory. */
  maxChallenges?: number;
  /** How far the signed time may be from ours, ms (default 5 min). */
  maxClockSkewMs?: number;
  /**
   * The origin clients are configured with (e.g. https://platform.example behind a reverse
   * proxy). Default: the sandbox's own listening origin. Never taken from the request (Host).
   */
  publicOrigin?: string;
  now?: () => number;
}

export interface SignedInProfessional {
  id: string;
  kind: 'CPS' | 'CPE';
  idNatPs: string;
}

export interface CardAuth {
  /** Answers /auth/… requests; false when the path is not one of them. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
  /** True for a live token issued by /auth/card. */
  validate(token: string): boolean;
  /** Who holds a live token, and their role (contract/roles.ts roleOf: CPE → secretary; else by profession). */
  holder(token: string): { professional: SignedInProfessional; role: Role } | null;
  /** Ends every session (tests: « the platform restarted »). */
  revokeAll(): void;
}

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(data.length), 'Cache-Control': 'no-store' });
  res.end(data);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The CN of a subject as Node prints it, also inside a multi-valued RDN (`SN=… + CN=… + GN=…`). */
export function commonNameOf(subject: string): string | null {
  for (const line of subject.split('\n')) {
    for (const atv of line.split(' + ')) if (atv.startsWith('CN=')) return atv.slice(3);
  }
  return null;
}

export const CARD_AUTH_VERSION = 'relais-card-auth-v1';

/** The signed statement, rebuilt from our own origin (written from docs/card-sign-in.md, not imported from main/). */
export function cardAuthStatement(origin: string, nonce: string, signedAt: string): Buffer {
  return Buffer.from([CARD_AUTH_VERSION, origin, nonce, signedAt].join('\n'), 'utf8');
}

/** `listeningOrigin`: the sandbox's own origin, known once it listens (server.ts). */
export function createCardAuth(options: CardAuthOptions, repo: IndexedRepository, listeningOrigin: () => string = () => ''): CardAuth {
  const now = options.now ?? Date.now;
  const roots = options.trustedRootsPem.map((pem) => new X509Certificate(pem));
  const ttlSeconds = options.tokenTtlSeconds ?? 600;
  const challengeTtl = options.challengeTtlMs ?? 60_000;
  const maxChallenges = Math.max(1, options.maxChallenges ?? 10_000);
  const maxSkew = options.maxClockSkewMs ?? 5 * 60_000;
  const ownOrigin = (): string => new URL(options.publicOrigin ?? listeningOrigin()).origin;
  /** nonce → expiry; insertion order = age (Map), so the first key is the oldest. */
  const challenges = new Map<string, number>();
  /** SHA-256 of the token (secretKey) → session: the token is neither kept nor compared. */
  const tokens = new Map<string, { expires: number; professional: SignedInProfessional; role: Role }>();

  const purge = (): void => {
    const t = now();
    for (const [n, exp] of challenges) if (exp <= t) challenges.delete(n);
    for (const [k, v] of tokens) if (v.expires <= t) tokens.delete(k);
  };

  /** The holder and their role, derived like the core does: card type, then the referential's profession. */
  const resolve = async (idNatPs: string): Promise<{ professional: SignedInProfessional; role: Role } | null> => {
    if (/^8\d{11}$/.test(idNatPs)) {
      const found = await repo.searchOne<Practitioner>({
        resourceType: 'Practitioner',
        filters: [{ code: 'identifier', operator: Operator.EQUALS, value: `${ANS.rppsSystem}|${idNatPs.slice(1)}` }],
      });
      if (!found?.id) return null;
      const professionCode = found.qualification?.flatMap((q) => q.code.coding ?? []).find((c) => c.system === ANS.professionCodeSystem)?.code ?? null;
      return { professional: { id: found.id, kind: 'CPS', idNatPs }, role: roleOf({ cardKind: 'CPS', professionCode }) };
    }
    const staff = SANDBOX_STAFF.find((s) => s.idNatPs === idNatPs);
    return staff ? { professional: { id: staff.id, kind: 'CPE', idNatPs }, role: roleOf({ cardKind: 'CPE' }) } : null;
  };

  const issueChallenge = (): { nonce: string; expires: number } => {
    purge();
    while (challenges.size >= maxChallenges) challenges.delete(challenges.keys().next().value as string);
    const nonce = randomBytes(32).toString('base64url');
    const expires = now() + challengeTtl;
    challenges.set(nonce, expires);
    return { nonce, expires };
  };

  const signIn = async (body: unknown, res: ServerResponse): Promise<void> => {
    const { certificatePem, origin, nonce, signedAt, signature } = (body ?? {}) as Record<string, unknown>;
    const fields = [certificatePem, origin, nonce, signedAt, signature];
    if (!fields.every((f): f is string => typeof f === 'string')) {
      send(res, 400, { error: 'invalid_request', error_description: 'certificatePem, origin, nonce, signedAt and signature are required' });
      return;
    }
    const [pem, claimedOrigin, nonceValue, signedAtValue, signatureValue] = fields as [string, string, string, string, string];
    purge();
    // Single use, whatever the outcome.
    const known = challenges.delete(nonceValue);
    if (!known) {
      send(res, 401, { error: 'invalid_nonce', error_description: 'unknown, used or expired challenge' });
      return;
    }
    const audience = ownOrigin();
    if (claimedOrigin !== audience) {
      send(res, 401, { error: 'wrong_origin', error_description: 'the card signed for another platform' });
      return;
    }
    const signedMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(signedAtValue) ? Date.parse(signedAtValue) : NaN;
    if (!Number.isFinite(signedMs) || Math.abs(signedMs - now()) > maxSkew) {
      send(res, 401, { error: 'stale_signature', error_description: 'the signed time is missing or too far from the platform clock' });
      return;
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      send(res, 400, { error: 'invalid_request', error_description: 'certificate unreadable' });
      return;
    }
    const t = now();
    const chained = !cert.ca && roots.some((root) => cert.checkIssued(root) && cert.verify(root.publicKey));
    if (!chained) {
      send(res, 401, { error: 'untrusted_certificate', error_description: 'certificate not issued by a trusted authority' });
      return;
    }
    if (Date.parse(cert.validFrom) > t || Date.parse(cert.validTo) < t) {
      send(res, 401, { error: 'expired_certificate', error_description: 'certificate not valid now' });
      return;
    }
    let valid: boolean;
    try {
      // Rebuilt with OUR origin: the client's claim above only gives a clearer error.
      valid = verifySignature('sha256', cardAuthStatement(audience, nonceValue, signedAtValue), cert.publicKey, Buffer.from(signatureValue, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) {
      send(res, 401, { error: 'invalid_signature', error_description: 'the challenge signature does not verify' });
      return;
    }
    const idNatPs = commonNameOf(cert.subject);
    const holder = idNatPs ? await resolve(idNatPs) : null;
    if (!holder) {
      send(res, 403, { error: 'unknown_holder', error_description: 'card holder unknown to the platform' });
      return;
    }
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(secretKey(accessToken), { expires: t + ttlSeconds * 1000, ...holder });
    send(res, 200, { accessToken, tokenType: 'Bearer', expiresIn: ttlSeconds, professional: holder.professional });
  };

  return {
    async handle(req, res, pathname) {
      if (pathname !== '/auth/challenge' && pathname !== '/auth/card') return false;
      if ((req.method ?? 'GET').toUpperCase() !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return true;
      }
      if (pathname === '/auth/challenge') {
        const { nonce, expires } = issueChallenge();
        send(res, 200, { nonce, expiresAt: new Date(expires).toISOString() });
        return true;
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        send(res, 400, { error: 'invalid_request', error_description: 'body is not JSON' });
        return true;
      }
      await signIn(body, res);
      return true;
    },
    validate(token) {
      const key = secretKey(token);
      const entry = tokens.get(key);
      if (!entry) return false;
      if (entry.expires <= now()) {
        tokens.delete(key);
        return false;
      }
      return true;
    },
    holder(token) {
      const entry = tokens.get(secretKey(token));
      if (!entry || entry.expires <= now()) return null;
      return { professional: entry.professional, role: entry.role };
    },
    revokeAll() {
      tokens.clear();
    },
  };
}
