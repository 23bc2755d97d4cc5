/**
 * Card sign-in of the sandbox platform (challenge-response), mounted outside /fhir:
 *
 *   POST /auth/challenge → { nonce, expiresAt }            (nonce: 32 random bytes, base64url;
 *                                                            single use, 60 s by default)
 *   POST /auth/card { certificatePem, nonce, signature }    (signature: base64 of the RSA
 *        → { accessToken, tokenType: 'Bearer', expiresIn,   PKCS#1 v1.5 SHA-256 signature of the
 *            professional: { id, kind, idNatPs } }          nonce's UTF-8 bytes, CKM_SHA256_RSA_PKCS)
 *
 * The certificate must be issued (signature and name) by one of the trusted roots given to
 * startSandbox, valid now and not a CA; the holder must be known (Practitioner by RPPS for a
 * CPS, SANDBOX_STAFF for a CPE). Tokens are opaque, random, short-lived (tokenTtlSeconds) and
 * kept in memory; `validate` is what the FHIR endpoint asks.
 */
import { X509Certificate, randomBytes, verify as verifySignature } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Operator } from '@medplum/core';
import type { Practitioner } from '@medplum/fhirtypes';
import { roleOf, type Role } from '../../contract/roles';
import { ANS } from '../fhir/systems';
import type { IndexedRepository } from '../repository';
import { SANDBOX_STAFF } from './staff';

export interface CardAuthOptions {
  /** PEM certificates of the trusted roots (tests: « TEST AC IGC-SANTE FORT PERSONNES »). */
  trustedRootsPem: string[];
  /** Lifetime of an access token in seconds (default 600). */
  tokenTtlSeconds?: number;
  /** Lifetime of a challenge in ms (default 60 s). */
  challengeTtlMs?: number;
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

export function createCardAuth(options: CardAuthOptions, repo: IndexedRepository): CardAuth {
  const now = options.now ?? Date.now;
  const roots = options.trustedRootsPem.map((pem) => new X509Certificate(pem));
  const ttlSeconds = options.tokenTtlSeconds ?? 600;
  const challengeTtl = options.challengeTtlMs ?? 60_000;
  const challenges = new Map<string, number>();
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

  const signIn = async (body: unknown, res: ServerResponse): Promise<void> => {
    const { certificatePem, nonce, signature } = (body ?? {}) as Record<string, unknown>;
    if (typeof certificatePem !== 'string' || typeof nonce !== 'string' || typeof signature !== 'string') {
      send(res, 400, { error: 'invalid_request', error_description: 'certificatePem, nonce and signature are required' });
      return;
    }
    purge();
    // Single use, whatever the outcome.
    const known = challenges.delete(nonce);
    if (!known) {
      send(res, 401, { error: 'invalid_nonce', error_description: 'unknown, used or expired challenge' });
      return;
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certificatePem);
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
      valid = verifySignature('sha256', Buffer.from(nonce, 'utf8'), cert.publicKey, Buffer.from(signature, 'base64'));
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
    tokens.set(accessToken, { expires: t + ttlSeconds * 1000, ...holder });
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
        purge();
        const nonce = randomBytes(32).toString('base64url');
        const expires = now() + challengeTtl;
        challenges.set(nonce, expires);
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
      const entry = tokens.get(token);
      if (!entry) return false;
      if (entry.expires <= now()) {
        tokens.delete(token);
        return false;
      }
      return true;
    },
    holder(token) {
      const entry = tokens.get(token);
      if (!entry || entry.expires <= now()) return null;
      return { professional: entry.professional, role: entry.role };
    },
    revokeAll() {
      tokens.clear();
    },
  };
}
