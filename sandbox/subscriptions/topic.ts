/**
 * The one SubscriptionTopic the sandbox platform offers (HL7 « Subscriptions R5 Backport » IG,
 * R4 flavour): something changed in a patient's coordination record — a journal entry
 * (DocumentReference), an alert (Flag) or a message (Communication) was created or updated.
 * R4 has no SubscriptionTopic resource: the topic is a canonical URL, advertised in the
 * CapabilityStatement and named by `Subscription.criteria`.
 */
import type { Subscription } from '@medplum/fhirtypes';

export const JOURNAL_TOPIC = 'https://relais.example/fhir/SubscriptionTopic/journal-changed';
export const TOPIC_RESOURCE_TYPES: ReadonlySet<string> = new Set(['DocumentReference', 'Flag', 'Communication']);

const IG = 'http://hl7.org/fhir/uv/subscriptions-backport';
export const BACKPORT = {
  subscriptionProfile: `${IG}/StructureDefinition/backport-subscription`,
  statusProfile: `${IG}/StructureDefinition/backport-subscription-status-r4`,
  filterCriteria: `${IG}/StructureDefinition/backport-filter-criteria`,
  heartbeatPeriod: `${IG}/StructureDefinition/backport-heartbeat-period`,
  payloadContent: `${IG}/StructureDefinition/backport-payload-content`,
  topicCanonical: `${IG}/StructureDefinition/capabilitystatement-subscriptiontopic-canonical`,
  bindingTokenOperation: `${IG}/OperationDefinition/backport-subscription-get-ws-binding-token`,
} as const;

/** The CapabilityStatement's Subscription entry: how a client discovers the topic and the websocket channel. */
export function subscriptionCapability(): Record<string, unknown> {
  return {
    type: 'Subscription',
    supportedProfile: [BACKPORT.subscriptionProfile],
    extension: [{ url: BACKPORT.topicCanonical, valueCanonical: JOURNAL_TOPIC }],
    interaction: [{ code: 'create' }, { code: 'read' }, { code: 'update' }, { code: 'delete' }, { code: 'search-type' }],
    searchParam: [{ name: 'criteria', type: 'string' }],
    operation: [{ name: 'get-ws-binding-token', definition: BACKPORT.bindingTokenOperation }],
  };
}

/**
 * The patients a subscription's filter names. The topic is filtered by `patient` (its only
 * `canFilterBy`), on every resource type of the topic: `patient=Patient/a,Patient/b`, the
 * resource type prefix of the backport's `Type?param=value` form being optional. null: a filter
 * the topic cannot apply (refused, rather than silently matching everything).
 */
export function filteredPatients(subscription: Subscription): Set<string> | null {
  const criteria = (subscription as { _criteria?: { extension?: { url?: string; valueString?: string }[] } })._criteria?.extension?.filter((e) => e.url === BACKPORT.filterCriteria) ?? [];
  if (criteria.length !== 1) return null;
  const m = /^(?:[A-Za-z]+\?)?patient=(.+)$/.exec(criteria[0]!.valueString ?? '');
  if (!m) return null;
  const ids = new Set<string>();
  for (const ref of m[1]!.split(',')) {
    const id = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref)?.[1];
    if (!id) return null;
    ids.add(id);
  }
  return ids;
}

export function heartbeatSecondsOf(subscription: Subscription): number {
  const v = subscription.channel?.extension?.find((e) => e.url === BACKPORT.heartbeatPeriod)?.valueUnsignedInt;
  return typeof v === 'number' && v >= 1 ? Math.min(v, 3600) : 60;
}
