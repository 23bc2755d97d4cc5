/**
 * The drug database against real files: small releases written in UTF-8 and in Windows-1252, a
 * zip, a malformed file (refused with file and line, the previous database kept), the CLI, and
 * the whole shared extract (../shared/data/bdpm) searched the way the composer does.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/relais-cli';
import { BdpmFormatError, decodeBdpm } from './bdpm-files';
import { DRUG_DB_FILE, defaultBundledSource, importBdpm, openDrugCatalog } from './catalog';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'relais-bdpm-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Windows-1252 bytes of a text (Latin-1 plus the typographic apostrophe 0x92). */
const cp1252 = (text: string) => Buffer.from(text.replace(/’/g, '\u0092'), 'latin1');

const CIS = [
  ['60000001', 'AMOXICILLINE TEST 1 g, comprimé', 'comprimé', 'orale', 'Autorisation active', 'Procédure nationale', 'Commercialisée', '12/03/2019', '', '', ' LABO', 'Non'],
  ['60000002', 'SKENAN TEST 10 mg, gélule', 'gélule', 'orale', 'Autorisation active', 'Procédure nationale', 'Commercialisée', '01/06/2020', '', '', ' LABO', 'Non'],
  ['60000003', 'HOPITALINE 5 mg, solution injectable', 'solution injectable', 'intraveineuse', 'Autorisation active', 'Procédure nationale', 'Commercialisée', '05/01/2021', '', '', ' LABO', 'Oui'],
];
const COMPO = [
  ['60000001', 'comprimé', '05248', 'AMOXICILLINE ANHYDRE', '1000 mg', 'un comprimé', 'FT', '1'],
  ['60000001', 'comprimé', '28165', 'AMOXICILLINE TRIHYDRATÉE', '', '', 'SA', '1'],
  ['60000002', 'gélule', '01234', 'SULFATE DE MORPHINE', '10 mg', 'une gélule', 'SA', '1'],
  ['60000003', 'solution', '09999', 'HOPITALINE', '5 mg', '1 ml', 'SA', '1'],
];
const CPD = [
  ['60000001', 'liste I'],
  ['60000002', 'stupéfiants'],
  ['60000003', 'prescription hospitalière'],
  ['60000003', 'réservé à l’usage HOSPITALIER'],
];
const tsv = (rows: string[][], eol = '\r\n') => rows.map((r) => r.join('\t')).join(eol) + eol;

function writeRelease(dir: string, encode: (t: string) => Buffer = (t) => Buffer.from(t, 'utf8'), over: Record<string, string> = {}) {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = { 'CIS_bdpm.txt': tsv(CIS), 'CIS_COMPO_bdpm.txt': tsv(COMPO, '\n'), 'CIS_CPD_bdpm.txt': tsv(CPD), ...over };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), encode(text));
  return files;
}

describe('BDPM import', () => {
  it('detects UTF-8 and Windows-1252 per file', () => {
    expect(decodeBdpm(Buffer.from('réservé à l’usage', 'utf8'))).toEqual({ text: 'réservé à l’usage', encoding: 'utf-8' });
    expect(decodeBdpm(cp1252('réservé à l’usage'))).toEqual({ text: 'réservé à l’usage', encoding: 'windows-1252' });
    expect(decodeBdpm(Buffer.from([0x80, 0x9c, 0x85, 0xe9])).text).toBe('€œ…é');
  });

  it('imports a Windows-1252 release: DCI lines, rules, accents folded in search, the release date', () => {
    const src = join(tmp(), 'release');
    writeRelease(src, cp1252);
    const dataDir = tmp();
    const catalog = openDrugCatalog({ dataDir, bundledSource: src, now: () => new Date('2026-12-01T08:00:00Z') });
    const hits = catalog.search('amoxi');
    expect(hits.map((h) => [h.choice.kind, h.choice.dciLabel, h.choice.specialityName])).toEqual([
      ['dci', 'Amoxicilline 1 g, comprimé', null],
      ['speciality', 'Amoxicilline 1 g, comprimé', 'AMOXICILLINE TEST 1 g, comprimé'],
    ]);
    expect(hits[0]!.choice.rules.list).toBe('I');
    expect(catalog.search('sulfate morph')[0]!.choice.rules).toMatchObject({ narcotic: true, secure: true, maxDurationDays: 28 });
    const hospital = catalog.search('hôpitaline')[1]!.choice;
    expect(hospital.rules).toMatchObject({ refusal: 'prescription hospitalière', reinforcedMonitoring: true });
    expect(catalog.release()).toEqual({ releaseDate: '2021-01-05', importedAt: '2026-12-01T08:00:00.000Z', source: 'extrait fourni avec Relais', specialities: 3 });
    catalog.close();
  });

  it('imports a zip of the official files', () => {
    const src = join(tmp(), 'release');
    const files = writeRelease(src);
    const zip = join(tmp(), 'bdpm.zip');
    writeFileSync(zip, zipSync(Object.fromEntries(Object.entries(files).map(([n, t]) => [`bdpm-2026/${n}`, Buffer.from(t, 'utf8')]))));
    const dataDir = tmp();
    const catalog = openDrugCatalog({ dataDir, bundledSource: null });
    expect(catalog.release()).toBeNull();
    expect(catalog.importRelease(zip)).toMatchObject({ source: 'bdpm.zip', specialities: 3 });
    expect(catalog.search('morphine')).toHaveLength(2);
    catalog.close();
  });

  it('refuses a malformed file naming the file and the line, and keeps the previous database', () => {
    const good = join(tmp(), 'good');
    writeRelease(good);
    const dataDir = tmp();
    const catalog = openDrugCatalog({ dataDir, bundledSource: good });
    const before = catalog.release();
    expect(catalog.search('amoxi')).toHaveLength(2);
    const bad = join(tmp(), 'bad');
    writeRelease(bad, undefined, { 'CIS_COMPO_bdpm.txt': tsv([COMPO[0]!, ['60000001', 'comprimé', '05248']]) });
    let error: unknown;
    try {
      catalog.importRelease(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BdpmFormatError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', file: 'CIS_COMPO_bdpm.txt', line: 2, field: 'CIS_COMPO_bdpm.txt:2' });
    expect((error as BdpmFormatError).frenchMessage).toContain('3 colonnes au lieu d’au moins 7');
    expect(catalog.release()).toEqual(before);
    expect(catalog.search('amoxi')).toHaveLength(2);
    const badCis = join(tmp(), 'bad-cis');
    writeRelease(badCis, undefined, { 'CIS_bdpm.txt': tsv([CIS[0]!, ['6000X', ...CIS[1]!.slice(1)]]) });
    expect(() => importBdpm(badCis, join(dataDir, DRUG_DB_FILE))).toThrow(/CIS_bdpm\.txt:2/);
    expect(catalog.search('amoxi')).toHaveLength(2);
    catalog.close();
  });

  it('the administrator imports with the CLI; a running catalog reopens the new file', async () => {
    const dataDir = tmp();
    const first = join(tmp(), 'first');
    writeRelease(first);
    const catalog = openDrugCatalog({ dataDir, bundledSource: first });
    expect(catalog.search('hopitaline')).toHaveLength(2);
    const next = join(tmp(), 'next');
    writeRelease(next, undefined, { 'CIS_bdpm.txt': tsv(CIS.slice(0, 2)) });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await runCli(['bdpm', 'import', next], io, dataDir)).toBe(0);
    expect(out.join('\n')).toMatch(/Base des médicaments importée : 2 spécialités, données au 01\/06\/2020/);
    await new Promise((r) => setTimeout(r, 20));
    expect(catalog.search('hopitaline')).toHaveLength(0);
    const broken = join(tmp(), 'broken');
    writeRelease(broken, undefined, { 'CIS_CPD_bdpm.txt': 'pas un CIS\tliste I\n' });
    expect(await runCli(['bdpm', 'import', broken], io, dataDir)).toBe(2);
    expect(err.join('\n')).toContain('Import refusé — CIS_CPD_bdpm.txt, ligne 1 : code CIS « pas un CIS » invalide (8 chiffres attendus). La base précédente reste utilisée.');
    expect(catalog.release()?.specialities).toBe(2);
    catalog.close();
  });
});

describe('the shared BDPM extract', () => {
  const source = defaultBundledSource();
  it('is found beside the checkout and built at first use; « amoxi » lists DCI lines first', () => {
    expect(source).not.toBeNull();
    const dataDir = tmp();
    const catalog = openDrugCatalog({ dataDir, bundledSource: source });
    expect(existsSync(join(dataDir, DRUG_DB_FILE))).toBe(false);
    const hits = catalog.search('amoxi');
    expect(existsSync(join(dataDir, DRUG_DB_FILE))).toBe(true);
    expect(hits.length).toBeGreaterThan(10);
    expect(hits[0]!.choice).toMatchObject({ kind: 'dci', routes: ['orale'] });
    expect(hits[0]!.choice.dciLabel).toMatch(/^Amoxicilline /);
    const firstSpeciality = hits.findIndex((h) => h.choice.kind === 'speciality');
    if (firstSpeciality >= 0) expect(hits.slice(firstSpeciality).every((h) => h.choice.kind === 'speciality')).toBe(true);
    expect(catalog.search('adempas').find((h) => h.choice.kind === 'speciality')!.choice.rules.refusal).toMatch(/^prescription (hospitalière|réservée aux spécialistes)/);
    expect(catalog.search('skenan').find((h) => h.choice.kind === 'speciality')!.choice.rules).toMatchObject({ narcotic: true, secure: true });
    expect(catalog.release()).toMatchObject({ releaseDate: '2021-01-18', source: 'extrait fourni avec Relais' });
    catalog.close();
  }, 120_000);
});
