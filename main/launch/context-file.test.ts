import { mkdtempSync, rmSync } from 'node:fs';
import { rename, unlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelaisError, type LaunchContext } from '../../contract';
import { decodeContextFile, parseContextFileContent, watchContextFile, type ContextFileWatcher } from './context-file';

const JSON_OK = JSON.stringify({
  ins: '295109912611193',
  oid: '1.2.250.1.213.1.4.10',
  birthName: 'Dupont',
  firstNames: ['Marie', 'Louise'],
  birthDate: '1995-10-12',
  sex: 'F',
  birthPlace: '40192',
  lgcPatientId: 'P-000123',
  rpps: '99700001011',
});

const INI_OK = [
  '; Contexte patient écrit par le logiciel du cabinet',
  '[patient]',
  'INS = 253072B07300470',
  'oid=urn:oid:1.2.250.1.213.1.4.10',
  'birth_name=Lœuvre-Dâ’Costa',
  'first-names=Hélène,Zoé',
  'BirthDate=1953-07-00',
  'sex=f',
  'birth_place=2b050',
  '# fin',
  '[autre]',
  'ins=ignored',
].join('\r\n');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof RelaisError ? e.code : `untyped: ${String(e)}`;
  }
  return 'no error';
}

describe('parseContextFileContent', () => {
  it('reads JSON with a list of first names, or a comma-separated string', () => {
    const ctx = parseContextFileContent(Buffer.from(JSON_OK));
    expect(ctx).toMatchObject({ birthName: 'DUPONT', firstNames: ['Marie', 'Louise'], lgcPatientId: 'P-000123', practitionerRpps: '99700001011' });
    const asString = JSON_OK.replace('["Marie","Louise"]', '"Marie,Louise"');
    expect(parseContextFileContent(Buffer.from(asString))).toEqual(ctx);
  });

  it('reads INI: optional section, comments, case-insensitive snake/kebab keys, other sections ignored', () => {
    const ctx = parseContextFileContent(Buffer.from(INI_OK, 'utf8'));
    expect(ctx).toEqual({
      ins: { value: '253072B07300470', oid: '1.2.250.1.213.1.4.10' },
      birthName: "LŒUVRE-DÂ'COSTA",
      firstNames: ['Hélène', 'Zoé'],
      birthDate: '1953-07-00',
      sex: 'F',
      birthPlace: '2B050',
    });
    const noSection = INI_OK.replace('[patient]\r\n', '').split('[autre]')[0]!;
    expect(parseContextFileContent(Buffer.from(noSection))).toEqual(ctx);
  });

  it('decodes UTF-8 with BOM, UTF-16 LE with BOM, and Windows-1252 (Œ, ’ included)', () => {
    const expected = parseContextFileContent(Buffer.from(INI_OK, 'utf8'));
    expect(parseContextFileContent(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(INI_OK, 'utf8')]))).toEqual(expected);
    expect(parseContextFileContent(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(INI_OK, 'utf16le')]))).toEqual(expected);
    const cp1252 = Buffer.from([...INI_OK].map((c) => ({ Œ: 0x8c, œ: 0x9c, '’': 0x92 })[c] ?? c.charCodeAt(0)));
    expect(decodeContextFile(cp1252)).toBe(INI_OK);
    expect(parseContextFileContent(cp1252)).toEqual(expected);
  });

  it('gives the same typed errors as the other channels', () => {
    expect(codeOf(() => parseContextFileContent(Buffer.from(JSON_OK.replace('611193', '611194'))))).toBe('INS_INVALID');
    expect(codeOf(() => parseContextFileContent(Buffer.from(JSON_OK.replace('"sex":"F",', ''))))).toBe('TRAITS_MISSING');
    expect(codeOf(() => parseContextFileContent(Buffer.from('')))).toBe('TRAITS_MISSING');
    expect(codeOf(() => parseContextFileContent(Buffer.from('{"ins":')))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseContextFileContent(Buffer.from('[1,2]')))).toBe('TRAITS_MISSING'); // an INI section, no keys
    expect(codeOf(() => parseContextFileContent(Buffer.from('{"birthName":{"x":1}}')))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseContextFileContent(Buffer.from(`${INI_OK.split('[autre]')[0]}\nbirthName=Martin`)))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseContextFileContent(Buffer.from('ins 295109912611193')))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseContextFileContent(Buffer.alloc(70_000, 0x20)))).toBe('INVALID_INPUT');
  });
});

describe('watchContextFile (real temporary directory)', () => {
  let dir: string;
  let path: string;
  let watcher: ContextFileWatcher | undefined;
  let contexts: LaunchContext[];
  let errors: RelaisError[];
  const DEBOUNCE = 60;
  const settle = (ms = DEBOUNCE * 6) => new Promise((r) => setTimeout(r, ms));

  function start(extra: { pollIntervalMs?: number; emitExisting?: boolean; useFsWatch?: boolean } = {}) {
    watcher = watchContextFile({
      path,
      debounceMs: DEBOUNCE,
      onContext: (ctx) => contexts.push(ctx),
      onError: (e) => errors.push(e),
      ...extra,
    });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relais-ctxfile-'));
    path = join(dir, 'patient.json');
    contexts = [];
    errors = [];
  });
  afterEach(() => {
    watcher?.close();
    watcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires on write, not again for the same content, again for a new patient', async () => {
    start();
    await writeFile(path, JSON_OK);
    await settle();
    expect(contexts.map((c) => c.birthName)).toEqual(['DUPONT']);
    await writeFile(path, JSON_OK); // rewritten, same content
    await settle();
    expect(contexts).toHaveLength(1);
    await writeFile(path, INI_OK);
    await settle();
    expect(contexts.map((c) => c.birthName)).toEqual(['DUPONT', "LŒUVRE-DÂ'COSTA"]);
    expect(errors).toEqual([]);
  });

  it('waits out a partial write (half, then the rest) and opens only the complete patient', async () => {
    start();
    const half = Math.floor(INI_OK.length / 2);
    await writeFile(path, INI_OK.slice(0, half));
    await settle(DEBOUNCE / 2);
    await appendFile(path, INI_OK.slice(half));
    await settle();
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.firstNames).toEqual(['Hélène', 'Zoé']);
    expect(errors).toEqual([]);
  });

  it('follows a rename-replace (write temp file, rename over the old one)', async () => {
    start();
    await writeFile(path, JSON_OK);
    await settle();
    const tmp = join(dir, 'patient.json.tmp');
    await writeFile(tmp, INI_OK);
    await rename(tmp, path);
    await settle();
    expect(contexts.map((c) => c.ins?.value)).toEqual(['295109912611193', '253072B07300470']);
  });

  it('reports invalid content once with its typed error; a deleted file does nothing', async () => {
    start();
    await writeFile(path, JSON_OK.replace('611193', '611194'));
    await settle();
    await writeFile(path, JSON_OK.replace('611193', '611194'));
    await settle();
    expect(errors.map((e) => e.code)).toEqual(['INS_INVALID']);
    await unlink(path);
    await settle();
    expect(contexts).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('reads a Windows-1252 file', async () => {
    start();
    await writeFile(path, Buffer.from(INI_OK.replace(/[Œœ’]/g, 'e'), 'latin1'));
    await settle();
    expect(contexts[0]?.birthName).toBe('LEUVRE-DÂECOSTA');
    expect(contexts[0]?.firstNames).toEqual(['Hélène', 'Zoé']);
  });

  it('ignores a file already there at start unless asked (it may be stale)', async () => {
    await writeFile(path, JSON_OK);
    start({ pollIntervalMs: 50 });
    await settle();
    expect(contexts).toEqual([]);
    watcher!.close();
    start({ emitExisting: true });
    await settle();
    expect(contexts).toHaveLength(1);
  });

  it('sees changes by polling alone (network shares that miss change events)', async () => {
    start({ useFsWatch: false, pollIntervalMs: 40 });
    await writeFile(path, JSON_OK);
    await settle(600);
    expect(contexts).toHaveLength(1);
  });
});
