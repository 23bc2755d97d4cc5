import { INS_OIDS, RelaisError, type Ins, type InsOid } from '../../contract';

const INS_SHAPE = /^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/;

/** 97 − (first 13 characters mod 97); Corsica's 2A/2B become 19/18 first. BigInt: 13 digits exceed 2^53. */
export function insKey(first13: string): string {
  const numeric = first13.replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
  if (!/^\d{13}$/.test(numeric)) throw new RelaisError('INS_INVALID', `not 13 digits: ${first13}`, 'ins');
  const key = 97n - (BigInt(numeric) % 97n);
  return key.toString().padStart(2, '0');
}

export function isValidInsValue(value: string): boolean {
  return INS_SHAPE.test(value) && insKey(value.slice(0, 13)) === value.slice(13);
}

const OID_BY_URN = new Map<string, InsOid>(
  Object.values(INS_OIDS).flatMap((oid) => [
    [oid, oid],
    [`urn:oid:${oid}`, oid],
  ]),
);

export function parseInsOid(raw: string): InsOid {
  const oid = OID_BY_URN.get(raw.trim());
  if (!oid) throw new RelaisError('INS_OID_UNKNOWN', `unknown INS OID: ${raw.slice(0, 64)}`, 'oid');
  return oid;
}

/** Validates shape and key; spaces are tolerated because LGCs often print the INS grouped. */
export function parseIns(rawValue: string, rawOid: string): Ins {
  const value = rawValue.replace(/\s+/g, '').toUpperCase();
  if (!INS_SHAPE.test(value)) {
    throw new RelaisError('INS_INVALID', `INS must be 15 characters (1, 2, 3, 7 or 8, then digits, 2A/2B for Corsica): got ${value.length}`, 'ins');
  }
  if (insKey(value.slice(0, 13)) !== value.slice(13)) {
    throw new RelaisError('INS_INVALID', 'INS key does not match', 'ins');
  }
  return { value, oid: parseInsOid(rawOid) };
}
