/**
 * A FeatureContext for testing one feature on its own (without the core): the plumbing the test
 * gives, everything else inert. A cross-feature query a test did not expect throws, so a feature
 * that starts depending on one is noticed.
 */
import { auditActor } from '../audit/audit-trail';
import { localDay, requesterOf, type FeatureContext } from './feature';

export function testFeatureContext(
  base: Pick<FeatureContext, 'platform' | 'store' | 'outbox' | 'events' | 'professional'> & Partial<FeatureContext>,
): FeatureContext {
  const unexpected = (what: string) => () => {
    throw new Error(`${what} is not wired in this test`);
  };
  return {
    actor: auditActor(base.professional),
    role: () => 'physician',
    now: () => new Date(),
    today: () => localDay(base.now?.() ?? new Date()),
    requester: requesterOf(base.professional),
    assertKnownPatient: () => undefined,
    track: (call) => call(),
    followedPatients: unexpected('followedPatients'),
    careTeamOf: unexpected('careTeamOf'),
    overlayAgenda: (panels) => panels,
    drugs: { search: unexpected('drugs'), release: unexpected('drugs'), importRelease: unexpected('drugs'), close: () => undefined },
    journal: {
      hasCache: unexpected('journal'),
      hasPaintable: unexpected('journal'),
      openFirst: unexpected('journal'),
      pageOnDemand: unexpected('journal'),
      sync: unexpected('journal'),
      refresh: unexpected('journal'),
      page: unexpected('journal'),
    },
    ...base,
  };
}
