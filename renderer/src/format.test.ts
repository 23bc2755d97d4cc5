import { describe, expect, it } from 'vitest';
import type { Patient } from './contract';
import {
  computeAge,
  formatRelativeStamp,
  isoToFrenchDate,
  parseFrenchDate,
  dayLabel,
  formatBirthDate,
  formatIns,
  groupByDay,
  launchContextOf,
  localDayKey,
  matchesPatient,
  mergeEntries,
} from './format';

describe('formatIns', () => {
  it('groups an INS like the carte Vitale (1-2-2-2-3-3-2)', () => {
    expect(formatIns('295109912611193')).toBe('2 95 10 99 126 111 93');
  });
  it('keeps Corsican departments', () => {
    expect(formatIns('185052A00608436')).toBe('1 85 05 2A 006 084 36');
  });
  it('returns anything not 15 characters unchanged', () => {
    expect(formatIns('12345')).toBe('12345');
  });
});

describe('formatBirthDate', () => {
  it('formats dd/mm/yyyy and keeps RNIV unknown parts', () => {
    expect(formatBirthDate('1952-03-07')).toBe('07/03/1952');
    expect(formatBirthDate('1940-00-00')).toBe('00/00/1940');
  });
});

describe('computeAge', () => {
  const now = new Date(2025, 5, 15, 10); // 15 June 2025
  it('counts full years, the day before and on the birthday', () => {
    expect(computeAge('1952-06-16', now)).toEqual({ unit: 'years', value: 72, approximate: false });
    expect(computeAge('1952-06-15', now)).toEqual({ unit: 'years', value: 73, approximate: false });
  });
  it('uses months under two years and days under one month', () => {
    expect(computeAge('2024-01-20', now)).toEqual({ unit: 'months', value: 16, approximate: false });
    expect(computeAge('2025-06-01', now)).toEqual({ unit: 'days', value: 14, approximate: false });
  });
  it('is approximate when month or day is unknown', () => {
    expect(computeAge('1940-00-00', now)).toEqual({ unit: 'years', value: 84, approximate: true });
  });
  it('refuses a birth date in the future', () => {
    expect(computeAge('2026-01-01', now)).toBeNull();
  });
});

describe('day grouping', () => {
  const now = new Date(2025, 5, 15, 10);
  it('labels today, yesterday, then the full date', () => {
    expect(dayLabel(localDayKey(now), now)).toEqual({ kind: 'today' });
    expect(dayLabel('2025-06-14', now)).toEqual({ kind: 'yesterday' });
    const other = dayLabel('2025-06-01', now);
    expect(other.kind).toBe('date');
  });
  it('handles yesterday across a month boundary', () => {
    expect(dayLabel('2025-05-31', new Date(2025, 5, 1, 9))).toEqual({ kind: 'yesterday' });
  });
  it('inserts one header per local day, newest first', () => {
    const e = (id: string, d: Date) => ({ id, date: d.toISOString() });
    const rows = groupByDay([
      e('a', new Date(2025, 5, 15, 9)),
      e('b', new Date(2025, 5, 15, 8)),
      e('c', new Date(2025, 5, 14, 23, 59)),
    ]);
    expect(rows.map((r) => (r.type === 'day' ? r.day : r.key))).toEqual(['2025-06-15', 'a', 'b', '2025-06-14', 'c']);
  });
});

describe('mergeEntries', () => {
  it('replaces by id and keeps newest first', () => {
    const old = [
      { id: 'b', date: '2025-06-15T08:00:00Z', v: 1 },
      { id: 'a', date: '2025-06-14T08:00:00Z', v: 1 },
    ];
    const incoming = [
      { id: 'c', date: '2025-06-15T09:00:00Z', v: 1 },
      { id: 'b', date: '2025-06-15T08:00:00Z', v: 2 },
    ];
    expect(mergeEntries(old, incoming).map((e) => `${e.id}${e.v}`)).toEqual(['c1', 'b2', 'a1']);
  });
});

const patient: Patient = {
  id: 'p1',
  birthName: 'LÉGER',
  firstNames: ['Éloïse', 'Marie'],
  birthDate: '1950-02-03',
  sex: 'F',
  birthPlace: '75056',
  ins: { value: '250027505612345', oid: '1.2.250.1.213.1.4.10' },
  identityStatus: 'QUAL',
  usedName: 'Martin',
};

describe('patient search and launch context', () => {
  it('matches accent- and case-insensitively on any name', () => {
    expect(matchesPatient(patient, 'eloise')).toBe(true);
    expect(matchesPatient(patient, 'leg elo')).toBe(true);
    expect(matchesPatient(patient, 'mart')).toBe(true);
    expect(matchesPatient(patient, 'dupont')).toBe(false);
  });
  it('builds the LaunchContext from the strict traits, or null without INS', () => {
    expect(launchContextOf(patient)).toEqual({
      birthName: 'LÉGER',
      firstNames: ['Éloïse', 'Marie'],
      birthDate: '1950-02-03',
      sex: 'F',
      birthPlace: '75056',
      ins: { value: '250027505612345', oid: '1.2.250.1.213.1.4.10' },
    });
    expect(launchContextOf({ ...patient, ins: null })).toBeNull();
  });
});

describe('French dates (issue 12)', () => {
  it('reads jj/mm/aaaa and its usual variants whatever the locale, and ISO', () => {
    expect(parseFrenchDate('07/03/2026')).toBe('2026-03-07');
    expect(parseFrenchDate('7/3/2026')).toBe('2026-03-07');
    expect(parseFrenchDate('07.03.26')).toBe('2026-03-07');
    expect(parseFrenchDate('07032026')).toBe('2026-03-07');
    expect(parseFrenchDate('2026-03-07')).toBe('2026-03-07');
    expect(parseFrenchDate('  ')).toBe('');
  });

  it('refuses what is not a calendar day, and never reads mm/dd', () => {
    expect(parseFrenchDate('31/02/2026')).toBeNull();
    expect(parseFrenchDate('29/02/2025')).toBeNull();
    expect(parseFrenchDate('29/02/2024')).toBe('2024-02-29');
    expect(parseFrenchDate('03/13/2026')).toBeNull();
    expect(parseFrenchDate('demain')).toBeNull();
    expect(isoToFrenchDate('2026-03-07')).toBe('07/03/2026');
  });

  it('says « aujourd’hui » and « hier » for journal entries, the date before', () => {
    const words = { today: "aujourd'hui", yesterday: 'hier' };
    expect(formatRelativeStamp(new Date(2026, 2, 7, 14, 2), '2026-03-07', words)).toBe("aujourd'hui 14:02");
    expect(formatRelativeStamp(new Date(2026, 2, 6, 9, 10), '2026-03-07', words)).toBe('hier 09:10');
    expect(formatRelativeStamp(new Date(2026, 2, 1, 9, 10), '2026-03-07', words)).toBe('01/03/2026 09:10');
  });
});
