/**
 * The sandbox coordination platform: FHIR R4 REST on node:http at 127.0.0.1, base path /fhir,
 * backed by @medplum/fhir-router's FhirRouter over an IndexedRepository, seeded deterministically.
 */
import './medplum-env';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus, isOk, normalizeOperationOutcome } from '@medplum/core';
import { FhirRouter, type FhirRequest } from '@medplum/fhir-router';
import type { Binary } from '@medplum/fhirtypes';
import { createCardAuth, type CardAuth, type CardAuthOptions } from './auth/card-auth';
import { createPscAuth, type PscAuth, type PscAuthOptions } from './auth/psc-auth';
import { sameSecret } from './auth/secret';
import { CareScopeIndex } from './auth/care-scope';
import { accessOf, checkRoute, checkScopedWrite, filterAnswer, isVisible, type Access } from './auth/route-policy';
import { refusedContentType } from './content-type';
import { Faults, type FaultConfig } from './faults';
import { checkConformance } from './fhir/conformance';
import { outcome, publicBase, readBody, resourceHeaders, sendFhirJson, sendJson } from './http-io';
import { loadFhirDefinitions } from './medplum-env';
import { IndexedRepository } from './repository';
import { MedicationCircuitActor } from './actors/medication-circuit';
import { buildSeed } from './seed/index';
import { SubscriptionHub } from './subscriptions/hub';
import { subscriptionCapability } from './subscriptions/topic';

export interface SandboxOptions {
  /** 0 = random free port. Default 0. */
  port?: number;
  /** Seed of the generated data and of fault injection. Default 1. */
  seed?: number;
  /** When set, every request must carry `Authorization: Bearer <accessToken>` (else 401). */
  accessToken?: string;
  /**
   * Card sign-in (sandbox/auth/card-auth.ts): POST /auth/challenge and /auth/card, verified
   * against these trusted roots. When set, /fhir requires a bearer token issued by /auth/card
   * (or the fixed accessToken above, if any).
   */
  cardAuth?: CardAuthOptions;
  /**
   * Pro Santé Connect (sandbox/auth/psc-auth.ts): a bearer token this platform did not issue is
   * checked at the PSC provider's userinfo endpoint. When set, /fhir requires a bearer token.
   */
  psc?: PscAuthOptions;
  /** Skip seeding (empty platform). */
  empty?: boolean;
  /**
   * Refuse (400 + OperationOutcome) a created or updated resource that breaks the FHIR R4
   * definitions, as a real server does (sandbox/fhir/conformance.ts). Default true: every test and
   * demo that writes through Relais checks what it writes; false only to accept anything.
   */
  validateWrites?: boolean;
  /** The scripted pharmacist and home nurse answering the medication circuit's Tasks (sandbox/actors). Default on. */
  medicationActor?: boolean;
  /** FHIR Subscriptions, R4 backport, websocket channel (sandbox/subscriptions). Default on; false: a platform without them. */
  subscriptions?: boolean;
}

export interface Sandbox {
  /** FHIR base URL, e.g. http://127.0.0.1:8787/fhir */
  url: string;
  port: number;
  /** Base of the card sign-in endpoints, e.g. http://127.0.0.1:8787/auth (answers only with cardAuth). */
  authUrl: string;
  /** The card sign-in service, when cardAuth was given (tests revoke its tokens). */
  cardAuth: CardAuth | null;
  /** The Pro Santé Connect token check, when psc was given (tests clear its cache). */
  pscAuth: PscAuth | null;
  repo: IndexedRepository;
  /** The scripted pharmacist / nurse (null when medicationActor is false); tests await its idle(). */
  medicationActor: MedicationCircuitActor | null;
  /** The Subscriptions hub (null when subscriptions is false); tests drop its sockets. */
  subscriptions: SubscriptionHub | null;
  /** Seeding statistics: build (pure generation) and load (into the repository) times in ms. */
  seedStats: { buildMs: number; loadMs: number; counts: Record<string, number> };
  setFaults(config: FaultConfig): void;
  close(): Promise<void>;
}


const CAPABILITIES = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-11-20',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['application/fhir+json'],
  software: { name: 'Relais sandbox (@medplum/fhir-router)' },
  rest: [{ mode: 'server' }],
};

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  await loadFhirDefinitions();
  const seed = options.seed ?? 1;
  const repo = new IndexedRepository();
  const router = new FhirRouter();
  const faults = new Faults(seed);
  // Care teams, roles and attachments indexed as they are stored, seed included (route-policy.ts).
  const scope = new CareScopeIndex();
  repo.observers.push(scope);

  let buildMs = 0;
  let loadMs = 0;
  let counts: Record<string, number> = {};
  if (!options.empty) {
    const t0 = performance.now();
    const data = buildSeed(seed);
    const t1 = performance.now();
    await repo.withSeeding(async () => {
      for (const r of data.resources) await repo.createResource(r);
    });
    const t2 = performance.now();
    buildMs = t1 - t0;
    loadMs = t2 - t1;
    counts = data.counts;
  }

  // After the seed: only Tasks written from now on are answered.
  const medicationActor = options.medicationActor === false ? null : new MedicationCircuitActor(repo);
  if (medicationActor) repo.observers.push(medicationActor.observer);
  // After the care scope: a notification is judged on the scope this write may have changed.
  const hub = options.subscriptions === false ? null : new SubscriptionHub(scope, () => repo.baseUrl);
  if (hub) repo.observers.push(hub.observer);
  const capabilities = hub ? { ...CAPABILITIES, rest: [{ mode: 'server', resource: [subscriptionCapability()] }] } : CAPABILITIES;

  const hung = new Set<ServerResponse>();
  let listeningOrigin = ''; // set once the server listens: the origin a card must have signed for
  const cardAuth = options.cardAuth ? createCardAuth(options.cardAuth, repo, () => listeningOrigin) : null;
  const pscAuth = options.psc ? createPscAuth(options.psc, repo) : null;
  const authorized = (header: string | undefined): boolean => {
    if (options.accessToken === undefined && !cardAuth && !pscAuth) return true;
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    if (token === undefined) return false;
    return (options.accessToken !== undefined && sameSecret(token, options.accessToken)) || (cardAuth?.validate(token) ?? false);
  };
  /** Who holds a card-session token and their role (sandbox/auth/access-policy.ts); null: no card identity (demo, fixed token). */
  const cardHolderOf = (header: string | undefined) => {
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    const holder = token && cardAuth ? cardAuth.holder(token) : null;
    return holder ? { role: holder.role, practitionerId: holder.professional.id } : null;
  };

  /** Role permissions on the new content, then care-team scope and the stored version (PUT / DELETE by id). */
  const checkWriteOf = async (access: Access, method: string, path: string, body: unknown) => {
    if (method !== 'POST' && method !== 'PUT' && method !== 'DELETE') return null;
    const [type, id] = path.split('/');
    const stored = id && method !== 'POST' ? await repo.readResource(type!, id).catch(() => undefined) : undefined;
    return checkScopedWrite(access, method, path, body, stored);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (cardAuth && (await cardAuth.handle(req, res, url.pathname))) return;
    if (url.pathname !== '/fhir' && !url.pathname.startsWith('/fhir/')) {
      sendJson(res, 404, outcome('not-found', 'Not found: the FHIR base is /fhir'));
      return;
    }
    // Canonical form (no empty segment): the router reads `Patient//x` as `Patient/x`, the policy must too.
    const path = url.pathname.slice('/fhir'.length).split('/').filter((s) => s !== '').join('/');

    const decision = faults.decide(path, req.method ?? 'GET');
    if (decision.kind === 'hang') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    if (decision.kind !== 'none' && decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    if (decision.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (decision.kind === 'error') {
      if (decision.status === 503) sendJson(res, 503, outcome('transient', 'Service unavailable (injected fault)'), { 'Retry-After': '1' });
      else sendJson(res, decision.status, outcome('processing', `Refused (injected fault, HTTP ${decision.status})`));
      return;
    }

    // Not a token of ours: perhaps a Pro Santé Connect access token (asked to the provider, cached).
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const psc = pscAuth && bearer !== undefined && !authorized(req.headers.authorization) ? await pscAuth.verify(bearer) : null;
    if (psc === 'unavailable') {
      sendJson(res, 503, outcome('transient', 'Pro Santé Connect could not be reached to check the token'), { 'Retry-After': '5' });
      return;
    }
    if (psc === 'unknown-professional') {
      sendJson(res, 403, outcome('forbidden', 'Forbidden: this professional is unknown to the platform'));
      return;
    }
    if (!authorized(req.headers.authorization) && (psc === null || psc === 'rejected')) {
      sendJson(res, 401, outcome('login', 'Unauthenticated'), { 'WWW-Authenticate': 'Bearer' });
      return;
    }

    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'GET' && path === 'metadata') {
      sendJson(res, 200, capabilities);
      return;
    }
    // A signed-in holder (card or PSC) is under the access policy on every route (route-policy.ts).
    const holder = psc && typeof psc === 'object' ? { role: psc.role, practitionerId: psc.professional.id } : cardHolderOf(req.headers.authorization);
    if (hub && path.split('/')[0] === 'Subscription') {
      const badType = refusedContentType(method, path, String(req.headers['content-type'] ?? ''));
      if (badType) return sendJson(res, 415, outcome('not-supported', badType));
      const readJson = async () => {
        try {
          return JSON.parse((await readBody(req)).toString('utf8')) as unknown;
        } catch {
          return undefined;
        }
      };
      const base = publicBase(req, repo.baseUrl);
      await hub.handle({ method, path, query: url.searchParams, holder, publicBase: base, readBody: readJson, send: (status, body) => sendJson(res, status, body) });
      return;
    }
    const access: Access | null = holder ? accessOf(holder, scope) : null;
    const routeRefused = access ? checkRoute(method, path, url.searchParams) : null;
    if (routeRefused) {
      sendJson(res, routeRefused.status, routeRefused.outcome);
      return;
    }

    const accept = String(req.headers.accept ?? '');
    const binaryMatch = /^Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(path);
    // Binary: raw bytes unless the client asks for the FHIR JSON representation.
    if (method === 'GET' && binaryMatch && !accept.includes('json')) {
      let bin: Binary;
      try {
        bin = await repo.readResource<Binary>('Binary', binaryMatch[1]!);
      } catch (err) {
        const oo = normalizeOperationOutcome(err);
        sendJson(res, getStatus(oo), oo);
        return;
      }
      if (access && !isVisible(access, bin)) {
        sendJson(res, 404, outcome('not-found', `Not found: ${path}`));
        return;
      }
      const data = Buffer.from(bin.data ?? '', 'base64');
      res.writeHead(200, {
        'Content-Type': bin.contentType ?? 'application/octet-stream',
        'Content-Length': String(data.length),
        'Cache-Control': 'private, max-age=3600',
        ...resourceHeaders(bin),
      });
      res.end(data);
      return;
    }

    const contentType = String(req.headers['content-type'] ?? '');
    // Writes only as FHIR JSON (or raw attachment bytes): a cross-site page may send text/plain, a
    // form or a Blob without a preflight, never these types (content-type.ts).
    const badType = refusedContentType(method, path, contentType);
    if (badType) {
      sendJson(res, 415, outcome('not-supported', badType));
      return;
    }
    const raw = method === 'GET' || method === 'HEAD' || method === 'DELETE' ? Buffer.alloc(0) : await readBody(req);
    let body: unknown;
    if (raw.length > 0) {
      if (method === 'POST' && path === 'Binary' && !contentType.includes('json')) {
        body = { resourceType: 'Binary', contentType: contentType || 'application/octet-stream', data: raw.toString('base64') } satisfies Binary;
      } else {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          sendJson(res, 400, outcome('invalid', 'Body is not valid JSON'));
          return;
        }
      }
    }

    const refused = access ? ((await checkWriteOf(access, method, path, body)) ?? null) : null;
    if (refused) {
      sendJson(res, refused.status, refused.outcome);
      return;
    }
    const invalid = (options.validateWrites ?? true) ? checkConformance(method, body) : null;
    if (invalid) {
      sendJson(res, 400, invalid);
      return;
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    const fhirReq = {
      method: method as FhirRequest['method'],
      url: path + url.search,
      pathname: '',
      query: {},
      params: {},
      body,
      headers,
    } as FhirRequest;
    const [oo, answered] = await router.handleRequest(fhirReq, repo);
    const status = getStatus(oo);
    // Withheld (medical for a secretary, outside the care teams for anyone): dropped from searches, 404 on a read.
    const searched = method === 'GET' && /^[A-Za-z]+$/.test(path) ? { type: path, query: url.searchParams } : null;
    const resource = access && answered ? filterAnswer(access, answered, searched) : answered;
    if (answered && !resource) {
      sendJson(res, 404, outcome('not-found', `Not found: ${path}`));
      return;
    }
    if (!isOk(oo)) {
      sendJson(res, status, oo);
      return;
    }
    const extra = resourceHeaders(resource);
    if (status === 201 && resource?.id) extra.Location = `${repo.baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? '1'}`;
    if (!resource) {
      sendJson(res, status, oo);
      return;
    }
    // Searches carry a validator (conditional requests, issue 17); reads keep their version ETag.
    await sendFhirJson(req, res, status, resource, extra, { internal: repo.baseUrl, public: publicBase(req, repo.baseUrl) }, searched !== null);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const oo = normalizeOperationOutcome(err);
      const status = getStatus(oo);
      sendJson(res, status >= 400 ? status : 500, oo);
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('upgrade', (req, socket, head) => {
    if (!hub?.upgrade(req, socket, head)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/fhir`;
  listeningOrigin = `http://127.0.0.1:${port}`;
  repo.baseUrl = url;

  return {
    url,
    port,
    authUrl: `http://127.0.0.1:${port}/auth`,
    cardAuth,
    pscAuth,
    repo,
    medicationActor,
    subscriptions: hub,
    seedStats: { buildMs, loadMs, counts },
    setFaults: (config) => faults.set(config),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hung) res.destroy();
        hub?.close();
        hung.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
