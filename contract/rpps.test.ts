import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidRpps, luhnCheckDigit } from './rpps';

describe('RPPS check digit (Luhn)', () => {
  it('accepts numbers whose last digit is the Luhn digit of the first ten', () => {
    // 7992739871 is the textbook Luhn example: its check digit is 3.
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(isValidRpps('10000000009')).toBe(true);
    expect(isValidRpps('10000000008')).toBe(false);
  });

  it('refuses anything but 11 digits', () => {
    for (const bad of ['', '1000000000', '100000000090', '1000000000a', ' 10000000009', '1000000000８']) expect(isValidRpps(bad)).toBe(false);
  });

  it('catches every single-digit typo', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 }), (payload, at, delta) => {
        const rpps = `${payload}${luhnCheckDigit(payload)}`;
        expect(isValidRpps(rpps)).toBe(true);
        const typo = rpps.slice(0, at) + String((Number(rpps[at]) + delta) % 10) + rpps.slice(at + 1);
        expect(isValidRpps(typo)).toBe(false);
      }),
    );
  });
});
