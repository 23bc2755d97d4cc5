import { describe, expect, it } from 'vitest';
import { DEMO_GP_RPPS, PROFESSIONALS } from './referential';
import { isValidRpps, luhnCheckDigit, serialOfTestRpps, testRpps } from './rpps';

describe('RPPS (11 digits, Luhn check digit)', () => {
  it('computes the Luhn check digit (the classic 7992739871 → 3)', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(isValidRpps('79927398713')).toBe(true);
    expect(isValidRpps('79927398710')).toBe(false);
  });

  it('refuses the numbers the seed used to hand out, wrong lengths and non-digits', () => {
    expect(isValidRpps('89970010101')).toBe(false);
    expect(isValidRpps('89970010201')).toBe(false);
    expect(isValidRpps('8997000101')).toBe(false);
    expect(isValidRpps('899700010150')).toBe(false);
    expect(isValidRpps('8997000101a')).toBe(false);
  });

  it('makes test-range numbers from a 4-digit serial, and gives the serial back', () => {
    expect(testRpps('0101')).toBe('99700001011');
    // idNatPS of a test card: '8' + RPPS, in the ANS test range 899700…
    expect(`8${testRpps('0101')}`.startsWith('899700')).toBe(true);
    expect(serialOfTestRpps('99700001011')).toBe('0101');
    expect(() => testRpps('101')).toThrow();
  });

  it('seeds only valid, distinct RPPS; the demo GP is 99700001011', () => {
    for (const p of PROFESSIONALS) expect(isValidRpps(p.rpps), `${p.id} ${p.rpps}`).toBe(true);
    expect(new Set(PROFESSIONALS.map((p) => p.rpps)).size).toBe(PROFESSIONALS.length);
    expect(DEMO_GP_RPPS).toBe('99700001011');
  });
});
