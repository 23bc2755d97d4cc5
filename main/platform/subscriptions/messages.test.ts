import { describe, expect, it } from 'vitest';
import { JOURNAL_TOPIC, offersJournalTopic, ownSubscriptions, parseBinding, parseNotice, subscriptionFor } from './messages';

const frame = (params: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ resourceType: 'Bundle', type: 'history', entry: [{ resource: { resourceType: 'Parameters', parameter: params } }], ...extra });
const head = (type: string) => [
  { name: 'subscription', valueReference: { reference: 'http://p/fhir/Subscription/s-1' } },
  { name: 'topic', valueCanonical: JOURNAL_TOPIC },
  { name: 'type', valueCode: type },
  { name: 'events-since-subscription-start', valueString: '7' },
];
const event = (n: string, focus: string, ...context: string[]) => ({
  name: 'notification-event',
  part: [{ name: 'event-number', valueString: n }, { name: 'focus', valueReference: { reference: focus } }, ...context.map((c) => ({ name: 'additional-context', valueReference: { reference: c } }))],
});

describe('subscription websocket messages', () => {
  it('reads a handshake, a heartbeat and an event notification', () => {
    expect(parseNotice(frame(head('handshake')))).toMatchObject({ type: 'handshake', subscriptionId: 's-1', eventsSinceStart: 7, events: [] });
    expect(parseNotice(frame(head('heartbeat')))?.type).toBe('heartbeat');
    const n = parseNotice(frame([...head('event-notification'), event('8', 'http://p/fhir/Flag/f1/_history/2', 'http://p/fhir/Patient/pat-1')]));
    expect(n?.events).toEqual([{ number: 8, focusType: 'Flag', patientIds: ['pat-1'] }]);
  });

  it('ignores garbage, another topic, unknown types and foreign focus types without throwing', () => {
    for (const bad of ['', 'nope', 'null', '[]', '{"resourceType":"Bundle"}', frame([]), frame(head('surprise')), 'x'.repeat(300_000)]) expect(parseNotice(bad)).toBeNull();
    expect(parseNotice(frame(head('handshake').map((p) => (p.name === 'topic' ? { ...p, valueCanonical: 'https://evil/topic' } : p))))).toBeNull();
    expect(parseNotice(frame(head('handshake').map((p) => (p.name === 'subscription' ? { name: 'subscription', valueReference: { reference: 'Patient/x' } } : p))))).toBeNull();
    const n = parseNotice(frame([...head('event-notification'), event('1', 'Observation/o'), event('abc', 'DocumentReference/d', 'Patient/../x', 'Practitioner/p', 'Patient/ok')]));
    expect(n?.events).toEqual([{ number: null, focusType: 'DocumentReference', patientIds: ['ok'] }]);
  });

  it('discovers the topic only with the binding operation, and reads a binding token', () => {
    const cap = (ops: string[]) => ({ rest: [{ resource: [{ type: 'Subscription', extension: [{ url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical', valueCanonical: JOURNAL_TOPIC }], operation: ops.map((name) => ({ name })) }] }] });
    expect(offersJournalTopic(cap(['get-ws-binding-token']))).toBe(true);
    expect(offersJournalTopic(cap([]))).toBe(false);
    expect(offersJournalTopic({ rest: 'x' })).toBe(false);
    expect(parseBinding({ resourceType: 'Parameters', parameter: [{ name: 'token', valueString: 't' }, { name: 'websocket-url', valueUrl: 'ws://h/fhir/ws' }] })).toEqual({ token: 't', url: 'ws://h/fhir/ws' });
    expect(parseBinding({ resourceType: 'Parameters', parameter: [{ name: 'token', valueString: 't' }, { name: 'websocket-url', valueUrl: 'file:///etc/passwd' }] })).toBeNull();
  });

  it('finds its own subscription back by its filter', () => {
    const sub = { ...subscriptionFor(['a', 'b'], 30, 'sid'), status: 'active' };
    expect(ownSubscriptions({ resourceType: 'Bundle', entry: [{ resource: sub }] })).toEqual([{ id: 'sid', filter: 'patient=Patient/a,Patient/b' }]);
    expect(ownSubscriptions({ resourceType: 'Bundle', entry: [{ resource: { ...sub, status: 'off' } }] })).toEqual([]);
  });
});
