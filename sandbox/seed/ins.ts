/** NIR / INS helpers (DOMAIN.md): key = 97 − (first 13 chars mod 97); 2A→19, 2B→18; BigInt. */
export function insKey(first13: string): string {
  if (!/^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$/.test(first13)) throw new Error(`bad NIR body ${first13}`);
  const numeric = first13.replace('2A', '19').replace('2B', '18');
  const key = 97n - (BigInt(numeric) % 97n);
  return key.toString().padStart(2, '0');
}

export function isValidIns(value: string): boolean {
  if (!/^[12378][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}$/.test(value)) return false;
  return insKey(value.slice(0, 13)) === value.slice(13);
}

/** Builds a full 15-char NIR from its parts. `place` is the 5-char INSEE code of the birth commune. */
export function buildNir(sex: 'M' | 'F', birthDate: string, place: string, order: number): string {
  const yy = birthDate.slice(2, 4);
  const mm = birthDate.slice(5, 7);
  const body = `${sex === 'M' ? '1' : '2'}${yy}${mm}${place}${String(order).padStart(3, '0')}`;
  return body + insKey(body);
}
