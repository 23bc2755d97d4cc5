/**
 * Property-based tests of every launch parser (fast-check, 10 000 cases per property).
 *
 * Invariants:
 * - total: for any input, a parser returns a value that LaunchContextSchema accepts, or throws a
 *   RelaisError with a known code — never a TypeError, ZodError or other untyped error;
 * - the INS key is computed here independently (Horner's rule mod 97 on Numbers, no BigInt) and
 *   no wrong key, no single-character change of the 13-character body, is ever accepted — for
 *   NIR and NIA (same 97-key algorithm) alike, Corsica 2A/2B included;
 * - normalisation is idempotent: whatever a parser accepted comes back identical through the
 *   other channels (URL, argv, context file);
 * - every valid context round-trips through buildLaunchUrl → parseLaunchUrl (or, when its URL
 *   exceeds MAX_URL_LENGTH, is refused with LAUNCH_URL_MALFORMED, never mangled).
 */
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, INS_OIDS, LaunchContextSchema, luhnCheckDigit, RelaisError, type LaunchContext } from '../../contract';
import { launchFromArgv } from './argv';
import { parseContextFileContent } from './context-file';
import { launchContextFromValues, type RawLaunchValues } from './context';
import { insKey, isValidInsValue, parseIns } from './ins';
import { MAX_URL_LENGTH, buildLaunchUrl, parseLaunchUrl } from './url';

const RUNS = { numRuns: 10_000 } as const;
const OIDS = Object.values(INS_OIDS);

// ----------------------------------------------------------------------------- oracles

/** The key, independently of ins.ts: Horner's rule mod 97 on plain Numbers, 2A→19, 2B→18. */
function oracleKey(body13: string): string {
  const digits = body13.slice(0, 5) + (body13.slice(5, 7) === '2A' ? '19' : body13.slice(5, 7) === '2B' ? '18' : body13.slice(5, 7)) + body13.slice(7);
  let rem = 0;
  for (const d of digits) rem = (rem * 10 + Number(d)) % 97;
  return String(97 - rem).padStart(2, '0');
}

/** The outcome of a parser: the value (checked against the contract schema) or the typed error. */
function outcome<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: RelaisError } {
  let value: T;
  try {
    value = fn();
  } catch (e) {
    if (!(e instanceof RelaisError)) throw new Error(`untyped error: ${String(e)}`, { cause: e });
    expect(ERROR_CODES).toContain(e.code);
    return { ok: false, error: e };
  }
  return { ok: true, value };
}

function expectContextOrTypedError(fn: () => LaunchContext): LaunchContext | null {
  const r = outcome(fn);
  if (!r.ok) return null;
  const parsed = LaunchContextSchema.safeParse(r.value);
  if (!parsed.success) throw new Error(`accepted a context the contract refuses: ${JSON.stringify(r.value)}`);
  return r.value;
}

function toArgv(ctx: LaunchContext): string[] {
  return [
    '/opt/Relais/relais',
    '--no-sandbox',
    ...(ctx.ins ? [`--ins=${ctx.ins.value}`, `--oid=${ctx.ins.oid}`] : []),
    `--birth-name=${ctx.birthName}`,
    `--first-names=${ctx.firstNames.join(',')}`,
    `--birth-date=${ctx.birthDate}`,
    `--sex=${ctx.sex}`,
    ...(ctx.birthPlace ? [`--birth-place=${ctx.birthPlace}`] : []),
    ...(ctx.lgcPatientId ? [`--lgc-patient-id=${ctx.lgcPatientId}`] : []),
    ...(ctx.practitionerRpps ? [`--rpps=${ctx.practitionerRpps}`] : []),
  ];
}

function toJsonFile(ctx: LaunchContext, firstNamesAsArray: boolean): Buffer {
  return Buffer.from(
    JSON.stringify({
      ins: ctx.ins?.value,
      oid: ctx.ins?.oid,
      birthName: ctx.birthName,
      firstNames: firstNamesAsArray ? ctx.firstNames : ctx.firstNames.join(','),
      birthDate: ctx.birthDate,
      sex: ctx.sex,
      birthPlace: ctx.birthPlace,
      lgcPatientId: ctx.lgcPatientId,
      rpps: ctx.practitionerRpps,
    }),
  );
}

function toIniFile(ctx: LaunchContext): string {
  const lines = [
    '; written by the practice software',
    '[patient]',
    ...(ctx.ins ? [`ins=${ctx.ins.value}`, `OID = ${ctx.ins.oid}`] : []),
    `birth_name=${ctx.birthName}`,
    `first-names=${ctx.firstNames.join(',')}`,
    `BirthDate=${ctx.birthDate}`,
    `sex=${ctx.sex}`,
    ...(ctx.birthPlace ? [`birthPlace=${ctx.birthPlace}`] : []),
    ...(ctx.lgcPatientId ? [`lgc_patient_id=${ctx.lgcPatientId}`] : []),
    ...(ctx.practitionerRpps ? [`rpps=${ctx.practitionerRpps}`] : []),
  ];
  return lines.join('\r\n');
}

const CP1252_EXTRA: Record<string, number> = { Œ: 0x8c, œ: 0x9c, Ÿ: 0x9f, '’': 0x92 };
function encodeWindows1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => CP1252_EXTRA[c] ?? c.charCodeAt(0)));
}

// ----------------------------------------------------------------------------- generators

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));
const twoDigits = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));

/** 13-character INS bodies: sex/type, year, month (incl. 20+ for unknown-month NIA/NIR), department incl. 2A/2B, commune, order. */
const insBody = fc
  .tuple(
    fc.constantFrom('1', '2', '3', '7', '8'),
    digits(2),
    fc.oneof(twoDigits(1, 12), twoDigits(20, 42), twoDigits(50, 99)),
    fc.oneof({ weight: 3, arbitrary: digits(2) }, { weight: 1, arbitrary: fc.constantFrom('2A', '2B') }),
    digits(3),
    digits(3),
  )
  .map((parts) => parts.join(''));

const validIns = insBody.map((body) => body + oracleKey(body));

const UPPER_LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒÑÁÍÓÚÃÕØÅÝÞÐ'];
const LOWER_LETTERS = [...'abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿæœñáíóúãõøåýþðß'];
const nameOf = (letters: string[], maxWords: number) =>
  fc
    .tuple(
      fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 12 }).map((a) => a.join('')),
      fc.array(
        fc.tuple(fc.constantFrom(' ', '-', "'", ' - ', "-'"), fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 12 }).map((a) => a.join(''))),
        { maxLength: maxWords },
      ),
    )
    .map(([first, rest]) => first + rest.map(([sep, w]) => sep + w).join(''))
    .filter((n) => n.length <= 100);

const birthDate = fc
  .tuple(fc.integer({ min: 1850, max: new Date().getUTCFullYear() - 1 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 31 }))
  .map(([y, m, d]) => {
    const days = m === 0 ? 0 : new Date(Date.UTC(y, m, 0)).getUTCDate();
    const day = m === 0 ? 0 : d % (days + 1);
    return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  });

const birthPlace = fc.oneof(
  fc.tuple(twoDigits(1, 98), digits(3)).map(([dep, c]) => dep + c),
  fc.tuple(fc.constantFrom('2A', '2B'), digits(3)).map(([dep, c]) => dep + c),
  digits(3).map((c) => `99${c}`),
);
const LGC_ID_CHARS = [...'ABCXYZabcxyz0189_.:/{}+=#-'];
const lgcPatientId = fc.array(fc.constantFrom(...LGC_ID_CHARS), { minLength: 1, maxLength: 64 }).map((a) => a.join(''));

const validRpps = digits(10).map((payload) => `${payload}${luhnCheckDigit(payload)}`);

const validContext: fc.Arbitrary<LaunchContext> = fc
  .record({
    ins: fc.record({ value: validIns, oid: fc.constantFrom(...OIDS) }),
    birthName: nameOf(UPPER_LETTERS, 4),
    firstNames: fc.array(nameOf([...UPPER_LETTERS, ...LOWER_LETTERS], 2), { minLength: 1, maxLength: 10 }),
    birthDate,
    sex: fc.constantFrom('F', 'M', 'U') as fc.Arbitrary<'F' | 'M' | 'U'>,
    birthPlace: fc.option(birthPlace, { nil: undefined }),
    lgcPatientId: fc.option(lgcPatientId, { nil: undefined }),
    practitionerRpps: fc.option(validRpps, { nil: undefined }),
  })
  .map((c) => {
    const ctx: Record<string, unknown> = { ...c };
    for (const k of Object.keys(ctx)) if (ctx[k] === undefined) delete ctx[k];
    return ctx as LaunchContext;
  });

/** Strings that are sometimes valid field values, sometimes near misses, sometimes noise. */
const fieldValue = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 14, arbitrary: valid },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
    { weight: 1, arbitrary: valid.chain((v) => fc.nat({ max: Math.max(0, v.length - 1) }).chain((i) => fc.string({ maxLength: 2 }).map((s) => v.slice(0, i) + s + v.slice(i + 1)))) },
    { weight: 2, arbitrary: valid.map((v) => `  ${v.toLowerCase()} `) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

/** Raw values where about a third of the records are acceptable, so both outcomes are exercised. */
const rawValues: fc.Arbitrary<RawLaunchValues> = fc.record({
  ins: fieldValue(validIns),
  oid: fieldValue(fc.constantFrom(...OIDS, ...OIDS.map((o) => `urn:oid:${o}`))),
  birthName: fieldValue(nameOf([...UPPER_LETTERS, ...LOWER_LETTERS, 'ÿ', 'ß', 'µ', '×', '’'], 3)),
  firstNames: fieldValue(fc.array(nameOf([...UPPER_LETTERS, ...LOWER_LETTERS, 'ÿ', '’'], 2), { minLength: 1, maxLength: 11 }).map((a) => a.join(','))),
  birthDate: fieldValue(fc.oneof({ weight: 6, arbitrary: birthDate }, { weight: 1, arbitrary: fc.constantFrom('2999-01-01', '1995-02-29', '1996-02-29', '1995-00-12', '1849-12-31') })),
  sex: fieldValue(fc.constantFrom('F', 'M', 'U', 'f', 'X')),
  birthPlace: fieldValue(fc.oneof({ weight: 6, arbitrary: birthPlace }, { weight: 1, arbitrary: fc.constantFrom('00123', '2C123', '20123') })),
  lgcPatientId: fieldValue(lgcPatientId),
  // Mostly valid RPPS (Luhn check digit), sometimes any 11 digits (nine in ten of those are refused).
  rpps: fieldValue(fc.oneof({ weight: 6, arbitrary: validRpps }, { weight: 1, arbitrary: digits(11) })),
});

function queryOf(values: RawLaunchValues, extra: [string, string][]): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) q.append(k, v);
  for (const [k, v] of extra) q.append(k, v);
  return q.toString();
}

// ----------------------------------------------------------------------------- properties

describe('INS key (properties)', () => {
  it('the oracle agrees with the reference examples', () => {
    for (const v of ['295109912611193', '253072B07300470', '253072A07300443']) expect(oracleKey(v.slice(0, 13))).toBe(v.slice(13));
  });

  it('accepts every valid NIR/NIA/test/demo INS, with the key the oracle computes', () => {
    fc.assert(
      fc.property(validIns, fc.constantFrom(...OIDS), (value, oid) => {
        expect(insKey(value.slice(0, 13))).toBe(value.slice(13));
        expect(parseIns(value, oid)).toEqual({ value, oid });
      }),
      RUNS,
    );
  });

  it('never accepts a wrong key', () => {
    fc.assert(
      fc.property(insBody, fc.integer({ min: 0, max: 99 }), fc.constantFrom(...OIDS), (body, k, oid) => {
        const key = String(k).padStart(2, '0');
        fc.pre(key !== oracleKey(body));
        expect(isValidInsValue(body + key)).toBe(false);
        const r = outcome(() => parseIns(body + key, oid));
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('INS_INVALID');
      }),
      RUNS,
    );
  });

  it('never accepts a single changed character or swapped neighbours in the body (mod 97 catches both)', () => {
    fc.assert(
      fc.property(validIns, fc.nat({ max: 12 }), fc.constantFrom(...'0123456789AB'), fc.boolean(), (value, i, ch, swap) => {
        let mutated: string;
        if (swap) {
          const j = Math.min(i, 11);
          mutated = value.slice(0, j) + value[j + 1] + value[j] + value.slice(j + 2);
        } else mutated = value.slice(0, i) + ch + value.slice(i + 1);
        fc.pre(mutated !== value);
        // A substitution changes the number by c·10^k (|c| ≤ 11 with 2A/2B), a swap by 9(a−b)·10^k:
        // never a multiple of the prime 97, so the key always catches it (or the shape does).
        const r = outcome(() => parseIns(mutated, INS_OIDS.NIA));
        expect(r).toMatchObject({ ok: false, error: { code: 'INS_INVALID' } });
      }),
      RUNS,
    );
  });

  it('returns a contract-valid INS or a typed error for any strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), validIns.map((v) => v.replace(/(..)/g, '$1 '))), fc.oneof(fc.string(), fc.constantFrom(...OIDS)), (v, oid) => {
        const r = outcome(() => parseIns(v, oid));
        if (r.ok) expect(isValidInsValue(r.value.value)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('launch parsers are total (properties)', () => {
  it('launchContextFromValues: a contract-valid context or a RelaisError, and what it accepts is a fixed point', () => {
    let accepted = 0;
    fc.assert(
      fc.property(rawValues, (values) => {
        const ctx = expectContextOrTypedError(() => launchContextFromValues(values));
        if (ctx) {
          accepted++;
          expect(launchFromArgv(toArgv(ctx))).toEqual({ kind: 'launch', context: ctx });
          const url = buildLaunchUrl(ctx);
          if (url.length <= MAX_URL_LENGTH) expect(parseLaunchUrl(url)).toEqual(ctx);
        }
      }),
      RUNS,
    );
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 20); // both outcomes really exercised
  });

  it('launchContextFromValues: non-string values are typed errors too (JSON, JS callers)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('ins', 'oid', 'birthName', 'firstNames', 'birthDate', 'sex', 'birthPlace', 'lgcPatientId', 'rpps'), fc.anything({ maxDepth: 1, maxKeys: 3 })), (values) => {
        expectContextOrTypedError(() => launchContextFromValues(values as RawLaunchValues));
      }),
      RUNS,
    );
  });

  it('parseLaunchUrl: any string, and any query on the right route', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.tuple(rawValues, fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 3 }), fc.constantFrom('relais://patient/open?', 'RELAIS://Patient/Open/?', 'relais:patient/open?', 'relais://patient/open#'))
            .map(([v, extra, prefix]) => prefix + queryOf(v, extra)),
        ),
        (raw) => {
          const ctx = expectContextOrTypedError(() => parseLaunchUrl(raw));
          if (ctx) expect(launchFromArgv(toArgv(ctx))).toEqual({ kind: 'launch', context: ctx });
        },
      ),
      RUNS,
    );
  });

  it('launchFromArgv: none, a contract-valid launch, or a RelaisError', () => {
    const option = fc.constantFrom('--ins', '--oid', '--birth-name', '--first-names', '--birth-date', '--sex', '--birth-place', '--lgc-patient-id', '--rpps', '--no-sandbox', '-x', '--');
    fc.assert(
      fc.property(fc.array(fc.oneof(option, fc.string(), validIns, fc.constantFrom('relais://patient/open?ins=1', 'relais:')), { maxLength: 14 }), (argv) => {
        const r = outcome(() => launchFromArgv(argv));
        if (r.ok && r.value.kind === 'launch') expect(LaunchContextSchema.safeParse(r.value.context).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseContextFileContent: any bytes, any JSON object, any INI text', () => {
    const ini = fc
      .tuple(rawValues, fc.array(fc.constantFrom('[patient]', '[other]', '; comment', '# comment', 'noequals', '=x', 'birth_name=A'), { maxLength: 3 }))
      .map(([v, junk]) => [...junk, ...Object.entries(v).map(([k, x]) => `${k}=${x ?? ''}`)].join('\n'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          fc.string({ unit: 'binary' }).map((s) => Buffer.from(s, 'utf8')),
          fc.json().map((s) => Buffer.from(s)),
          rawValues.map((v) => Buffer.from(JSON.stringify(v))),
          fc.dictionary(fc.constantFrom('ins', 'birth_name', 'firstNames', 'sex', 'rpps', 'Birth-Date'), fc.jsonValue()).map((v) => Buffer.from(JSON.stringify(v))),
          ini.map((s) => Buffer.from(s, 'latin1')),
          ini.map((s) => Buffer.from(s, 'utf8')),
        ),
        (bytes) => {
          expectContextOrTypedError(() => parseContextFileContent(bytes));
        },
      ),
      RUNS,
    );
  });
});

describe('round trips (properties)', () => {
  it('every valid context survives buildLaunchUrl → parseLaunchUrl (or is refused as too long)', () => {
    let tooLong = 0;
    fc.assert(
      fc.property(validContext, (ctx) => {
        expect(LaunchContextSchema.safeParse(ctx).success).toBe(true);
        const url = buildLaunchUrl(ctx);
        if (url.length > MAX_URL_LENGTH) {
          tooLong++;
          expect(outcome(() => parseLaunchUrl(url))).toMatchObject({ ok: false, error: { code: 'LAUNCH_URL_MALFORMED' } });
        } else expect(parseLaunchUrl(url)).toEqual(ctx);
      }),
      RUNS,
    );
    expect(tooLong).toBeLessThan(RUNS.numRuns / 10);
  });

  it('every valid context survives the command line and the context file (JSON, INI UTF-8, INI Windows-1252)', () => {
    fc.assert(
      fc.property(validContext, fc.boolean(), (ctx, asArray) => {
        expect(launchFromArgv(toArgv(ctx))).toEqual({ kind: 'launch', context: ctx });
        expect(parseContextFileContent(toJsonFile(ctx, asArray))).toEqual(ctx);
        const ini = toIniFile(ctx);
        expect(parseContextFileContent(Buffer.from(ini, 'utf8'))).toEqual(ctx);
        // Windows-1252 bytes that happen to be valid UTF-8 (e.g. "ÃŒ" = C3 8C) are read as UTF-8:
        // an inherent ambiguity, checked separately; every other Windows-1252 file must round-trip.
        const cp1252 = encodeWindows1252(ini);
        if (!isUtf8(cp1252) || cp1252.every((b) => b < 0x80)) expect(parseContextFileContent(cp1252)).toEqual(ctx);
      }),
      RUNS,
    );
  });
});
