/**
 * FHIR Subscriptions on the sandbox platform (R4, « Subscriptions R5 Backport » IG, websocket
 * channel, id-only payload): the subset Relais uses, documented in docs/fhir-mapping.md.
 *
 * - `POST/GET/PUT/DELETE Subscription[/id]`: a holder's own subscriptions on the one topic
 *   (topic.ts), kept in memory (a restart drops them, as a server restart drops a websocket;
 *   clients create them again). Another holder's subscription is a 404.
 * - `Subscription[/id]/$get-ws-binding-token`: a short-lived token for the holder's subscriptions
 *   and the websocket URL.
 * - `ws://…/fhir/ws`: `bind-with-token <token>` → a handshake per subscription, then heartbeats
 *   and event notifications, each a `history` Bundle led by a `subscription-status` Parameters.
 *
 * Scope: a notification is sent only when the subscription's owner may see the resource now
 * (care-team scope and medical withholding, route-policy.ts), whatever the filter says — a
 * filter naming a patient outside one's care teams never yields anything.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Resource, Subscription } from '@medplum/fhirtypes';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Role } from '../../contract/roles';
import type { CareScopeIndex } from '../auth/care-scope';
import { patientOf } from '../auth/care-scope';
import { accessOf, isVisible } from '../auth/route-policy';
import { checkConformance } from '../fhir/conformance';
import { BACKPORT, filteredPatients, heartbeatSecondsOf, JOURNAL_TOPIC, TOPIC_RESOURCE_TYPES } from './topic';

export interface Holder {
  role: Role;
  practitionerId: string;
}

interface Sub {
  resource: Subscription;
  /** null: made without a signed-in holder (demo platform without authentication). */
  owner: Holder | null;
  patients: Set<string>;
  heartbeatSeconds: number;
  eventCount: number;
  sockets: Set<WebSocket>;
}

interface BindingToken {
  owner: string | null;
  subscriptions: string[];
  expires: number;
}

export interface HubRequest {
  method: string;
  /** Relative to /fhir, canonical (no empty segment). */
  path: string;
  query: URLSearchParams;
  holder: Holder | null;
  /** The base URL the client reached (server.ts publicBase: a proxy in front keeps its Host); the websocket URL is on it. */
  publicBase: string;
  readBody: () => Promise<unknown>;
  send: (status: number, body: unknown) => void;
}

const TOKEN_TTL_MS = 10 * 60_000;
const BIND_WAIT_MS = 30_000;

const outcome = (code: string, diagnostics: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text: diagnostics }, diagnostics }] });

export class SubscriptionHub {
  private readonly subs = new Map<string, Sub>();
  private readonly tokens = new Map<string, BindingToken>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly heartbeats = new Map<WebSocket, ReturnType<typeof setInterval>>();
  private heartbeatsPaused = false;
  /** Notifications sent since start (tests, and the platform's own measure). */
  sent = 0;

  constructor(
    private readonly scope: CareScopeIndex,
    /** The FHIR base URL once the server listens. */
    private readonly base: () => string,
  ) {
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  /** For IndexedRepository.observers: every stored write may be an event of the topic. */
  readonly observer = {
    stored: (r: Resource) => this.event(r),
    forget: () => undefined,
  };

  /** Handles the Subscription routes; false: not one of them. */
  async handle(req: HubRequest): Promise<boolean> {
    const segments = req.path.split('/');
    if (segments[0] !== 'Subscription') return false;
    const [, id, op] = segments;
    if (id === '$get-ws-binding-token' && segments.length === 2) return this.bindingToken(req, null), true;
    if (op === '$get-ws-binding-token' && segments.length === 3) return this.bindingToken(req, id!), true;
    if (segments.length > 2) {
      req.send(404, outcome('not-found', `Not found: ${req.path}`));
      return true;
    }
    if (id === undefined) {
      if (req.method === 'POST') await this.create(req);
      else if (req.method === 'GET') this.search(req);
      else req.send(405, outcome('not-supported', `${req.method} Subscription`));
      return true;
    }
    const sub = this.subs.get(id);
    if (!sub || !sameOwner(sub.owner, req.holder)) {
      req.send(404, outcome('not-found', `Not found: Subscription/${id}`));
      return true;
    }
    if (req.method === 'GET') req.send(200, sub.resource);
    else if (req.method === 'PUT') await this.update(req, sub);
    else if (req.method === 'DELETE') {
      this.subs.delete(id);
      for (const ws of sub.sockets) ws.close(1000, 'subscription deleted');
      req.send(200, outcome('informational', 'deleted'));
    } else req.send(405, outcome('not-supported', `${req.method} Subscription/${id}`));
    return true;
  }

  /** `server.on('upgrade')`: the websocket channel at /fhir/ws; false: another path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (new URL(req.url ?? '/', 'http://sandbox').pathname !== '/fhir/ws') return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    return true;
  }

  /** Tests: the platform drops every websocket (as a restart or a load balancer would). */
  closeSockets(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /** Tests: the connection stays open but nothing comes (a half-dead link). */
  pauseHeartbeats(paused: boolean): void {
    this.heartbeatsPaused = paused;
  }

  /** Tests: a frame sent as is to every bound socket (hostile platform content). */
  sendRaw(frame: string | Buffer): void {
    for (const sub of this.subs.values()) for (const ws of sub.sockets) ws.send(frame);
  }

  boundSockets(): number {
    return new Set([...this.subs.values()].flatMap((s) => [...s.sockets])).size;
  }

  close(): void {
    for (const t of this.heartbeats.values()) clearInterval(t);
    this.heartbeats.clear();
    this.closeSockets();
    this.wss.close();
  }

  private checked(body: unknown, req: HubRequest): { resource: Subscription; patients: Set<string> } | null {
    const s = body as Subscription | undefined;
    if (!s || s.resourceType !== 'Subscription') return req.send(400, outcome('invalid', 'Expected a Subscription')), null;
    const invalid = checkConformance('POST', s);
    if (invalid) return req.send(400, invalid), null;
    if (s.criteria !== JOURNAL_TOPIC) return req.send(422, outcome('not-supported', `Unknown topic; this platform offers ${JOURNAL_TOPIC}`)), null;
    if (s.channel?.type !== 'websocket') return req.send(422, outcome('not-supported', 'Only the websocket channel is offered')), null;
    const patients = filteredPatients(s);
    if (!patients) return req.send(422, outcome('not-supported', 'Filter expected: one backport-filter-criteria "patient=Patient/<id>,…"')), null;
    return { resource: s, patients };
  }

  private async create(req: HubRequest): Promise<void> {
    const ok = this.checked(await req.readBody(), req);
    if (!ok) return;
    const id = randomUUID();
    const resource: Subscription = { ...ok.resource, id, status: 'active', meta: { versionId: '1', lastUpdated: new Date().toISOString(), profile: [BACKPORT.subscriptionProfile] } };
    this.subs.set(id, { resource, owner: req.holder, patients: ok.patients, heartbeatSeconds: heartbeatSecondsOf(resource), eventCount: 0, sockets: new Set() });
    req.send(201, resource);
  }

  private async update(req: HubRequest, sub: Sub): Promise<void> {
    const ok = this.checked(await req.readBody(), req);
    if (!ok) return;
    const version = String(Number(sub.resource.meta?.versionId ?? '1') + 1);
    sub.resource = { ...ok.resource, id: sub.resource.id!, status: 'active', meta: { versionId: version, lastUpdated: new Date().toISOString(), profile: [BACKPORT.subscriptionProfile] } };
    sub.patients = ok.patients;
    sub.heartbeatSeconds = heartbeatSecondsOf(sub.resource);
    req.send(200, sub.resource);
  }

  private search(req: HubRequest): void {
    const criteria = req.query.get('criteria');
    const mine = [...this.subs.values()].filter((s) => sameOwner(s.owner, req.holder) && (criteria === null || s.resource.criteria === criteria));
    req.send(200, { resourceType: 'Bundle', type: 'searchset', total: mine.length, entry: mine.map((s) => ({ fullUrl: `${req.publicBase}/Subscription/${s.resource.id}`, resource: s.resource, search: { mode: 'match' } })) });
  }

  private bindingToken(req: HubRequest, instance: string | null): void {
    if (req.method !== 'POST' && req.method !== 'GET') return req.send(405, outcome('not-supported', `${req.method} $get-ws-binding-token`));
    const asked = instance ? [instance] : req.query.getAll('id');
    const mine = [...this.subs.values()].filter((s) => sameOwner(s.owner, req.holder) && s.resource.channel.type === 'websocket');
    const ids = asked.length > 0 ? asked : mine.map((s) => s.resource.id!);
    if (ids.length === 0 || ids.some((id) => !mine.some((s) => s.resource.id === id))) return req.send(404, outcome('not-found', 'No such websocket subscription'));
    for (const [t, grant] of this.tokens) if (grant.expires < Date.now()) this.tokens.delete(t);
    const token = randomBytes(24).toString('base64url');
    const expires = Date.now() + TOKEN_TTL_MS;
    this.tokens.set(token, { owner: req.holder?.practitionerId ?? null, subscriptions: ids, expires });
    const wsUrl = `${req.publicBase.replace(/^http/, 'ws')}/ws`;
    req.send(200, {
      resourceType: 'Parameters',
      parameter: [
        { name: 'token', valueString: token },
        { name: 'expiration', valueDateTime: new Date(expires).toISOString() },
        ...ids.map((id) => ({ name: 'subscription', valueString: id })),
        { name: 'websocket-url', valueUrl: wsUrl },
      ],
    });
  }

  private accept(ws: WebSocket): void {
    const unbound = setTimeout(() => ws.close(1008, 'no binding'), BIND_WAIT_MS);
    ws.on('message', (data, isBinary) => {
      const m = isBinary ? null : /^bind-with-token (\S{1,200})$/.exec(String(data).trim());
      const grant = m ? this.tokens.get(m[1]!) : undefined;
      if (!grant || grant.expires < Date.now()) {
        ws.close(1008, 'invalid binding token');
        return;
      }
      clearTimeout(unbound);
      for (const id of grant.subscriptions) {
        const sub = this.subs.get(id);
        if (!sub || (sub.owner?.practitionerId ?? null) !== grant.owner) continue;
        sub.sockets.add(ws);
        ws.send(JSON.stringify(this.status(sub, 'handshake')));
      }
      this.scheduleHeartbeat(ws);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(unbound);
      clearInterval(this.heartbeats.get(ws));
      this.heartbeats.delete(ws);
      for (const sub of this.subs.values()) sub.sockets.delete(ws);
    });
  }

  private scheduleHeartbeat(ws: WebSocket): void {
    clearInterval(this.heartbeats.get(ws));
    const mine = [...this.subs.values()].filter((s) => s.sockets.has(ws));
    if (mine.length === 0) return;
    const seconds = Math.min(...mine.map((s) => s.heartbeatSeconds));
    this.heartbeats.set(
      ws,
      setInterval(() => {
        if (this.heartbeatsPaused) return;
        for (const sub of this.subs.values()) if (sub.sockets.has(ws)) ws.send(JSON.stringify(this.status(sub, 'heartbeat')));
      }, seconds * 1000),
    );
  }

  private event(r: Resource): void {
    if (!TOPIC_RESOURCE_TYPES.has(r.resourceType) || !r.id) return;
    const patient = patientOf(r);
    if (!patient) return;
    for (const sub of this.subs.values()) {
      if (sub.sockets.size === 0 || !sub.patients.has(patient)) continue;
      if (sub.owner && !isVisible(accessOf(sub.owner, this.scope), r)) continue;
      sub.eventCount += 1;
      const frame = JSON.stringify(this.status(sub, 'event-notification', { resource: r, patient }));
      for (const ws of sub.sockets) ws.send(frame);
      this.sent += 1;
    }
  }

  /** A notification Bundle (R4 backport): `subscription-status` Parameters first, then the focus (id-only). */
  private status(sub: Sub, type: 'handshake' | 'heartbeat' | 'event-notification', event?: { resource: Resource; patient: string }): Record<string, unknown> {
    const base = this.base();
    const parameter: Record<string, unknown>[] = [
      { name: 'subscription', valueReference: { reference: `${base}/Subscription/${sub.resource.id}` } },
      { name: 'topic', valueCanonical: JOURNAL_TOPIC },
      { name: 'status', valueCode: 'active' },
      { name: 'type', valueCode: type },
      { name: 'events-since-subscription-start', valueString: String(sub.eventCount) },
    ];
    const entry: Record<string, unknown>[] = [];
    if (event) {
      const focus = `${event.resource.resourceType}/${event.resource.id}`;
      const created = (event.resource.meta?.versionId ?? '1') === '1';
      parameter.push({
        name: 'notification-event',
        part: [
          { name: 'event-number', valueString: String(sub.eventCount) },
          { name: 'timestamp', valueInstant: event.resource.meta?.lastUpdated ?? new Date().toISOString() },
          { name: 'focus', valueReference: { reference: `${base}/${focus}` } },
          { name: 'additional-context', valueReference: { reference: `${base}/Patient/${event.patient}` } },
        ],
      });
      entry.push({ fullUrl: `${base}/${focus}`, request: { method: created ? 'POST' : 'PUT', url: created ? event.resource.resourceType : focus }, response: { status: created ? '201' : '200' } });
    }
    return {
      resourceType: 'Bundle',
      id: randomUUID(),
      type: 'history',
      timestamp: new Date().toISOString(),
      entry: [
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: { resourceType: 'Parameters', id: randomUUID(), meta: { profile: [BACKPORT.statusProfile] }, parameter },
          request: { method: 'GET', url: `${base}/Subscription/${sub.resource.id}/$status` },
          response: { status: '200' },
        },
        ...entry,
      ],
    };
  }
}

function sameOwner(owner: Holder | null, holder: Holder | null): boolean {
  return (owner?.practitionerId ?? null) === (holder?.practitionerId ?? null);
}
