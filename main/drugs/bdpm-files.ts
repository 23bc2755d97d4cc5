/**
 * The official BDPM files (ANSM, « base de données publique des médicaments »), read from a folder
 * or a zip of a release: tab-separated, no header, CRLF or LF, published over the years in
 * Windows-1252 and in UTF-8 — the encoding is detected per file, never assumed. A line that does
 * not have the columns of its table, or a CIS that is not 8 digits, stops the import with a French
 * message naming the file and the line (BdpmFormatError); the caller keeps the previous database.
 * Column order: ../shared/data/bdpm/README.md and docs/prescription.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { RelaisError } from '../../contract';

export const BDPM_FILES = {
  specialities: 'CIS_bdpm.txt',
  compositions: 'CIS_COMPO_bdpm.txt',
  conditions: 'CIS_CPD_bdpm.txt',
  presentations: 'CIS_CIP_bdpm.txt',
  generics: 'CIS_GENER_bdpm.txt',
} as const;
type FileKey = keyof typeof BDPM_FILES;
/** Without these three there is nothing to prescribe from; the two others are read when present. */
const REQUIRED: readonly FileKey[] = ['specialities', 'compositions', 'conditions'];
/** Fewest columns a line of each table has (trailing empty columns may be missing). */
const MIN_COLUMNS: Record<FileKey, number> = { specialities: 11, compositions: 7, conditions: 2, presentations: 7, generics: 4 };

/** A malformed release: the French message names the file and the line (1-based). */
export class BdpmFormatError extends RelaisError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly frenchMessage: string,
  ) {
    super('INVALID_INPUT', `BDPM import refused: ${file}${line ? `:${line}` : ''} — ${frenchMessage}`, line ? `${file}:${line}` : file);
  }
}

export interface Speciality {
  cis: string;
  name: string;
  form: string;
  routes: string[];
  ammStatus: string;
  marketed: boolean;
  ammDate: string | null;
  /** « Oui » in the last column: « médicament sous surveillance renforcée » (black triangle). */
  reinforcedMonitoring: boolean;
}
export interface Composition {
  cis: string;
  element: string;
  substanceCode: string;
  substance: string;
  dosage: string;
  dosageReference: string;
  nature: 'SA' | 'FT';
  link: string;
}
export interface Condition {
  cis: string;
  text: string;
}
export interface Presentation {
  cis: string;
  cip13: string;
  label: string;
  declared: string | null;
}
export interface GenericMember {
  groupId: string;
  groupLabel: string;
  cis: string;
  type: number;
}

export interface BdpmRelease {
  specialities: Speciality[];
  compositions: Composition[];
  conditions: Condition[];
  presentations: Presentation[];
  generics: GenericMember[];
  /** Encoding detected per file (« utf-8 » or « windows-1252 »). */
  encodings: Record<string, string>;
  /** Most recent date the release mentions (declaration, AMM): a floor of its publication date. */
  releaseDate: string | null;
}

/**
 * Windows-1252 bytes 0x80–0x9F (where it differs from Latin-1): ’ œ € … are there. Node's own
 * TextDecoder('windows-1252') decodes them as C1 controls (Latin-1), so they are mapped here.
 */
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else Windows-1252. */
export function decodeBdpm(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const latin = new TextDecoder('windows-1252').decode(bytes);
    return { text: latin.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]!), encoding: 'windows-1252' };
  }
}

/** « 16/03/2011 » → « 2011-03-16 »; null when empty or not a date. */
function isoDate(fr: string | undefined): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec((fr ?? '').trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}

const CIS = /^\d{8}$/;

function rows(file: string, key: FileKey, text: string, each: (cols: string[], line: number) => void): void {
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const cols = raw.split('\t').map((c) => c.trim());
    const line = i + 1;
    if (cols.length < MIN_COLUMNS[key]) {
      throw new BdpmFormatError(file, line, `${cols.length} colonne${cols.length > 1 ? 's' : ''} au lieu d’au moins ${MIN_COLUMNS[key]} (séparateur tabulation attendu).`);
    }
    const cis = key === 'generics' ? cols[2]! : cols[0]!;
    if (!CIS.test(cis)) throw new BdpmFormatError(file, line, `code CIS « ${cis.slice(0, 20)} » invalide (8 chiffres attendus).`);
    each(cols, line);
  });
}

/** Parses the five tables (already read as bytes, keyed by file name). */
export function parseBdpm(files: ReadonlyMap<string, Uint8Array>): BdpmRelease {
  for (const key of REQUIRED) {
    if (!files.has(BDPM_FILES[key])) throw new BdpmFormatError(BDPM_FILES[key], null, 'fichier absent de la base importée.');
  }
  const encodings: Record<string, string> = {};
  const text = (key: FileKey): string | null => {
    const name = BDPM_FILES[key];
    const bytes = files.get(name);
    if (!bytes) return null;
    const decoded = decodeBdpm(bytes);
    encodings[name] = decoded.encoding;
    return decoded.text;
  };
  const out: BdpmRelease = { specialities: [], compositions: [], conditions: [], presentations: [], generics: [], encodings, releaseDate: null };
  let latest = '';
  const seen = (d: string | null) => {
    if (d && d > latest) latest = d;
  };
  rows(BDPM_FILES.specialities, 'specialities', text('specialities')!, (c) => {
    const ammDate = isoDate(c[7]);
    seen(ammDate);
    out.specialities.push({
      cis: c[0]!,
      name: c[1]!,
      form: c[2]!,
      routes: c[3]!.split(';').map((r) => r.trim()).filter(Boolean),
      ammStatus: c[4]!,
      marketed: c[6] === 'Commercialisée',
      ammDate,
      reinforcedMonitoring: (c[11] ?? '').toLowerCase() === 'oui',
    });
  });
  rows(BDPM_FILES.compositions, 'compositions', text('compositions')!, (c, line) => {
    const nature = c[6];
    if (nature !== 'SA' && nature !== 'FT') throw new BdpmFormatError(BDPM_FILES.compositions, line, `nature « ${(nature ?? '').slice(0, 10)} » inconnue (SA ou FT attendu).`);
    out.compositions.push({ cis: c[0]!, element: c[1]!, substanceCode: c[2]!, substance: c[3]!, dosage: c[4]!, dosageReference: c[5]!, nature, link: c[7] ?? '' });
  });
  rows(BDPM_FILES.conditions, 'conditions', text('conditions')!, (c) => {
    if (c[1]) out.conditions.push({ cis: c[0]!, text: c[1] });
  });
  const cip = text('presentations');
  if (cip !== null) {
    rows(BDPM_FILES.presentations, 'presentations', cip, (c) => {
      const declared = isoDate(c[5]);
      seen(declared);
      out.presentations.push({ cis: c[0]!, cip13: c[6] ?? '', label: c[2]!, declared });
    });
  }
  const gener = text('generics');
  if (gener !== null) {
    rows(BDPM_FILES.generics, 'generics', gener, (c, line) => {
      const type = Number(c[3]);
      if (!Number.isInteger(type)) throw new BdpmFormatError(BDPM_FILES.generics, line, `type de générique « ${(c[3] ?? '').slice(0, 10)} » invalide.`);
      out.generics.push({ groupId: c[0]!, groupLabel: c[1]!, cis: c[2]!, type });
    });
  }
  out.releaseDate = latest || null;
  return out;
}

const WANTED = new Set<string>(Object.values(BDPM_FILES));

/** The release's files from a folder or a .zip (fflate), by base name, case-insensitive. */
export function readBdpmSource(source: string): Map<string, Uint8Array> {
  if (!existsSync(source)) throw new BdpmFormatError(basename(source), null, 'dossier ou fichier introuvable.');
  const files = new Map<string, Uint8Array>();
  const keep = (name: string, bytes: Uint8Array) => {
    const canonical = [...WANTED].find((w) => w.toLowerCase() === basename(name).toLowerCase());
    if (canonical && !files.has(canonical)) files.set(canonical, bytes);
  };
  if (statSync(source).isDirectory()) {
    for (const name of readdirSync(source)) keep(name, readFileSync(join(source, name)));
    return files;
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(source), { filter: (f) => WANTED.has(basename(f.name)) || [...WANTED].some((w) => w.toLowerCase() === basename(f.name).toLowerCase()) });
  } catch {
    throw new BdpmFormatError(basename(source), null, 'archive zip illisible.');
  }
  for (const [name, bytes] of Object.entries(entries)) keep(name, bytes);
  return files;
}
