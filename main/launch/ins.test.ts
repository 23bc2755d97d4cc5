import { describe, expect, it } from 'vitest';
import { RelaisError } from '../../contract';
import { insKey, isValidInsValue, parseIns } from './ins';

const TEST_OID = '1.2.250.1.213.1.4.10';

describe('INS key', () => {
  it('accepts the reference examples, Corsica included', () => {
    for (const v of ['295109912611193', '253072B07300470', '253072A07300443']) {
      expect(isValidInsValue(v)).toBe(true);
    }
  });

  it('computes the key with BigInt over 13 digits', () => {
    expect(insKey('2951099126111')).toBe('93');
    expect(insKey('253072B073004')).toBe('70');
  });

  it('rejects a wrong key and a wrong shape with a typed error', () => {
    expect(() => parseIns('295109912611194', TEST_OID)).toThrowError(RelaisError);
    try {
      parseIns('295109912611194', TEST_OID);
    } catch (e) {
      expect((e as RelaisError).code).toBe('INS_INVALID');
    }
    expect(() => parseIns('29510991261119', TEST_OID)).toThrowError(/15 characters/);
    expect(() => parseIns('995109912611193', TEST_OID)).toThrowError(RelaisError);
  });

  it('accepts grouped input and urn:oid prefixes, rejects unknown OIDs', () => {
    expect(parseIns('2 95 10 99 126 111 93', `urn:oid:${TEST_OID}`)).toEqual({ value: '295109912611193', oid: TEST_OID });
    try {
      parseIns('295109912611193', '1.2.3.4');
      expect.unreachable();
    } catch (e) {
      expect((e as RelaisError).code).toBe('INS_OID_UNKNOWN');
    }
  });
});
