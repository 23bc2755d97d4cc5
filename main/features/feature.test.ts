import { describe, expect, it } from 'vitest';
import type { CoreMethod } from '../../contract';
import { mergeFeatures, type CoreHandlers, type Handler } from './feature';

/** Stand-in handlers: only the types matter to the compile-time checks below. */
const all = {} as CoreHandlers;
const one = <M extends CoreMethod>(method: M): Handler<M> => (async () => ({ method })) as unknown as Handler<M>;
const { 'audit.verify': _verify, ...allButVerify } = all;

describe('mergeFeatures: one handler per core method, checked by the compiler', () => {
  it('accepts features that answer every method exactly once', () => {
    const merged = mergeFeatures([{ handlers: allButVerify }, { handlers: { 'audit.verify': one('audit.verify') } }]);
    expect(Object.keys(merged.handlers)).toEqual(['audit.verify']);
  });

  it('refuses a method answered by two features (and throws if a cast hid it)', () => {
    const twice = () =>
      // @ts-expect-error audit.verify has two handlers
      mergeFeatures([{ handlers: { ...allButVerify, 'audit.verify': one('audit.verify') } }, { handlers: { 'audit.verify': one('audit.verify') } }]);
    expect(twice).toThrow('two handlers for audit.verify');
  });

  it('refuses a method nobody answers', () => {
    // @ts-expect-error audit.verify has no handler
    mergeFeatures([{ handlers: allButVerify }]);
  });

  it('refuses a handler for something that is not a core method', () => {
    // @ts-expect-error auth.signOut is answered by the session host, not by the core
    mergeFeatures([{ handlers: all }, { handlers: { 'audit.verify': one('audit.verify'), 'auth.signOut': async () => ({}) } }]);
  });

  it('refuses a handler whose types do not match its method', () => {
    // @ts-expect-error audit.verify answers an AuditVerdict, not a number
    mergeFeatures([{ handlers: allButVerify }, { handlers: { 'audit.verify': async () => 42 } }]);
  });

  it('refuses two writers for one outbox kind', () => {
    const writer = async () => ({ platformId: 'x' });
    expect(() =>
      mergeFeatures([{ handlers: allButVerify, writers: { referral: writer } }, { handlers: { 'audit.verify': one('audit.verify') }, writers: { referral: writer } }]),
    ).toThrow('two outbox writers for referral');
  });
});
