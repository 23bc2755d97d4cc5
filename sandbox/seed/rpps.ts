/**
 * RPPS numbers of the seeded professionals. An RPPS is 11 digits whose last one is a Luhn check
 * digit (DOMAIN.md); a platform handing out numbers that fail it would hide a client that does
 * not check. Seeded ones sit in the range of the ANS test cards, whose idNatPS ('8' + RPPS)
 * starts with `899700`: RPPS `997000` + a 4-digit serial + check digit. The seed also derives
 * fictitious phone and Assurance Maladie numbers from the serial.
 */
const TEST_RANGE = '997000';

/** The Luhn check digit of a string of digits: double every second digit from the right, sum, complement to 10. */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new Error(`not digits: ${payload}`);
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** 11 digits, the last one the Luhn check digit of the first ten. */
export function isValidRpps(value: string): boolean {
  return /^\d{11}$/.test(value) && luhnCheckDigit(value.slice(0, 10)) === value[10];
}

/** A valid test-range RPPS for a 4-digit serial ('0101' → 9970000101 + check digit). */
export function testRpps(serial: string): string {
  if (!/^\d{4}$/.test(serial)) throw new Error(`serial of 4 digits expected: ${serial}`);
  const payload = `${TEST_RANGE}${serial}`;
  return payload + luhnCheckDigit(payload);
}

/** The 4-digit serial of a test-range RPPS made by testRpps. */
export function serialOfTestRpps(rpps: string): string {
  return rpps.slice(TEST_RANGE.length, TEST_RANGE.length + 4);
}
