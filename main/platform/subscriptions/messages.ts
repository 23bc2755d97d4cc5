/**
 * What comes over the platform's subscription websocket (R4 « Subscriptions R5 Backport » IG):
 * a `history` Bundle whose first entry is a `subscription-status` Parameters. Platform content
 * is hostile: every frame is size-capped, zod-checked, and reduced to the few facts Relais acts
 * on; anything else is null (ignored), never an exception.
 */
import { z } from 'zod';

export const JOURNAL_TOPIC = 'https://relais.example/fhir/SubscriptionTopic/journal-changed';
/** Resource types of the topic Relais acts on; a focus of any other type is ignored. */
export const TOPIC_TYPES = ['DocumentReference', 'Flag', 'Communication'] as const;
export type TopicType = (typeof TOPIC_TYPES)[number];

const IG = 'http://hl7.org/fhir/uv/subscriptions-backport';
export const BACKPORT = {
  subscriptionProfile: `${IG}/StructureDefinition/backport-subscription`,
  filterCriteria: `${IG}/StructureDefinition/backport-filter-criteria`,
  heartbeatPeriod: `${IG}/StructureDefinition/backport-heartbeat-period`,
  payloadContent: `${IG}/StructureDefinition/backport-payload-content`,
  topicCanonical: `${IG}/StructureDefinition/capabilitystatement-subscriptiontopic-canonical`,
} as const;

/** Frames larger than this are dropped unread (an id-only notification is a few kB). */
export const MAX_FRAME_BYTES = 256 * 1024;

const Str = z.string().max(1024);
const Ref = z.object({ reference: Str });
const Part = z.object({ name: Str, valueString: Str.optional(), valueInstant: Str.optional(), valueReference: Ref.optional() });
const Param = z.object({
  name: Str,
  valueCode: Str.optional(),
  valueString: Str.optional(),
  valueCanonical: Str.optional(),
  valueReference: Ref.optional(),
  part: z.array(Part).max(50).optional(),
});
const StatusParameters = z.object({ resourceType: z.literal('Parameters'), parameter: z.array(Param).max(1000) });
const NotificationBundle = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('history'),
  entry: z.array(z.object({ resource: z.unknown().optional() })).min(1).max(1000),
});

export type NoticeType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';
const NOTICE_TYPES: readonly string[] = ['handshake', 'heartbeat', 'event-notification', 'query-status', 'query-event'];

export interface NoticeEvent {
  /** null when the platform did not number it. */
  number: number | null;
  focusType: TopicType;
  patientIds: string[];
}

export interface Notice {
  type: NoticeType;
  /** The subscription's logical id. */
  subscriptionId: string;
  status: string;
  eventsSinceStart: number | null;
  events: NoticeEvent[];
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** `…/Type/id[/_history/v]` → { type, id }, or null. */
function refParts(reference: string): { type: string; id: string } | null {
  const parts = reference.split('/');
  const h = parts.indexOf('_history');
  const core = h >= 0 ? parts.slice(0, h) : parts;
  const id = core[core.length - 1];
  const type = core[core.length - 2];
  return id && type && ID.test(id) && /^[A-Z][A-Za-z]{1,63}$/.test(type) ? { type, id } : null;
}

function count(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** One websocket frame → the notice it carries for our topic, or null (garbage, another topic, unknown type). */
export function parseNotice(frame: string): Notice | null {
  if (frame.length > MAX_FRAME_BYTES) return null;
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return null;
  }
  const bundle = NotificationBundle.safeParse(json);
  if (!bundle.success) return null;
  const status = StatusParameters.safeParse(bundle.data.entry[0]!.resource);
  if (!status.success) return null;
  const params = status.data.parameter;
  const one = (name: string) => params.find((p) => p.name === name);
  const type = one('type')?.valueCode;
  const subscription = refParts(one('subscription')?.valueReference?.reference ?? '');
  if (!type || !NOTICE_TYPES.includes(type) || !subscription || subscription.type !== 'Subscription') return null;
  if (one('topic')?.valueCanonical !== JOURNAL_TOPIC) return null;
  const events: NoticeEvent[] = [];
  for (const p of params) {
    if (p.name !== 'notification-event' || !p.part) continue;
    const focus = refParts(p.part.find((x) => x.name === 'focus')?.valueReference?.reference ?? '');
    if (!focus || !(TOPIC_TYPES as readonly string[]).includes(focus.type)) continue;
    const patientIds = p.part
      .filter((x) => x.name === 'additional-context')
      .map((x) => refParts(x.valueReference?.reference ?? ''))
      .filter((r): r is { type: string; id: string } => r?.type === 'Patient')
      .map((r) => r.id);
    events.push({ number: count(p.part.find((x) => x.name === 'event-number')?.valueString), focusType: focus.type as TopicType, patientIds });
  }
  return {
    type: type as NoticeType,
    subscriptionId: subscription.id,
    status: one('status')?.valueCode ?? 'active',
    eventsSinceStart: count(one('events-since-subscription-start')?.valueString),
    events,
  };
}

const Capability = z.object({
  rest: z
    .array(
      z.object({
        resource: z
          .array(
            z.object({
              type: Str,
              extension: z.array(z.object({ url: Str, valueCanonical: Str.optional() })).max(100).optional(),
              operation: z.array(z.object({ name: Str })).max(200).optional(),
            }),
          )
          .max(500)
          .optional(),
      }),
    )
    .max(10)
    .optional(),
});

/** Whether a CapabilityStatement offers our topic with websocket binding tokens. */
export function offersJournalTopic(statement: unknown): boolean {
  const parsed = Capability.safeParse(statement);
  if (!parsed.success) return false;
  return (parsed.data.rest ?? []).some((rest) =>
    (rest.resource ?? []).some(
      (r) =>
        r.type === 'Subscription' &&
        (r.extension ?? []).some((e) => e.url === BACKPORT.topicCanonical && e.valueCanonical === JOURNAL_TOPIC) &&
        (r.operation ?? []).some((o) => o.name === 'get-ws-binding-token'),
    ),
  );
}

const BindingParameters = z.object({
  resourceType: z.literal('Parameters'),
  parameter: z.array(z.object({ name: Str, valueString: Str.optional(), valueUrl: Str.optional(), valueDateTime: Str.optional() })).max(1000),
});

/** `$get-ws-binding-token` answer → token and websocket URL, or null. */
export function parseBinding(body: unknown): { token: string; url: string } | null {
  const parsed = BindingParameters.safeParse(body);
  if (!parsed.success) return null;
  const token = parsed.data.parameter.find((p) => p.name === 'token')?.valueString;
  const url = parsed.data.parameter.find((p) => p.name === 'websocket-url')?.valueUrl;
  if (!token || !/^\S{1,512}$/.test(token) || !url || !/^wss?:\/\//.test(url)) return null;
  return { token, url };
}

/** The Subscription Relais asks for: the topic, its followed patients as the filter, websocket, id-only. */
export function subscriptionFor(patientIds: readonly string[], heartbeatSeconds: number, id?: string): Record<string, unknown> {
  return {
    resourceType: 'Subscription',
    ...(id ? { id } : {}),
    meta: { profile: [BACKPORT.subscriptionProfile] },
    status: 'requested',
    reason: 'Relais: journal, alerts and messages of the followed patients',
    criteria: JOURNAL_TOPIC,
    _criteria: { extension: [{ url: BACKPORT.filterCriteria, valueString: `patient=${patientIds.map((p) => `Patient/${p}`).join(',')}` }] },
    channel: {
      type: 'websocket',
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: BACKPORT.payloadContent, valueCode: 'id-only' }] },
      extension: [{ url: BACKPORT.heartbeatPeriod, valueUnsignedInt: heartbeatSeconds }],
    },
  };
}

const SubscriptionSearch = z.object({
  resourceType: z.literal('Bundle'),
  entry: z
    .array(
      z.object({
        resource: z
          .object({
            resourceType: z.literal('Subscription'),
            id: z.string().regex(ID),
            criteria: Str,
            status: Str,
            channel: z.object({ type: Str }),
            _criteria: z.object({ extension: z.array(z.object({ url: Str, valueString: z.string().max(200_000).optional() })).max(20) }).optional(),
          })
          .optional(),
      }),
    )
    .max(1000)
    .optional(),
});

/** Our topic's websocket subscriptions in a search answer: id and the filter's patient list as sent. */
export function ownSubscriptions(body: unknown): { id: string; filter: string | null }[] {
  const parsed = SubscriptionSearch.safeParse(body);
  if (!parsed.success) return [];
  return (parsed.data.entry ?? []).flatMap((e) => {
    const r = e.resource;
    if (!r || r.criteria !== JOURNAL_TOPIC || r.channel.type !== 'websocket' || r.status === 'off' || r.status === 'error') return [];
    return [{ id: r.id, filter: r._criteria?.extension.find((x) => x.url === BACKPORT.filterCriteria)?.valueString ?? null }];
  });
}
