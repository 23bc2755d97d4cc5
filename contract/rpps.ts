/**
 * RPPS number of a health professional: 11 digits, the last one a Luhn check digit (ANS, « Le
 * numéro RPPS »). Checked wherever Relais reads one (launch context, directory, card), so a
 * mistyped or truncated number is refused instead of naming the wrong professional.
 */
const RPPS_FORMAT = /^\d{11}$/;

/** Luhn check digit of a string of digits (the digits the check digit will follow). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Doubling starts from the rightmost digit of the payload (it sits left of the check digit).
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidRpps(value: string): boolean {
  return RPPS_FORMAT.test(value) && luhnCheckDigit(value.slice(0, 10)) === Number(value[10]);
}
