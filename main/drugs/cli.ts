/**
 * `relais bdpm import <dossier|zip>`: an administrator of the machine replaces the install's drug
 * database with a current BDPM release (downloaded from the ANSM). A malformed release is refused
 * with the file and the line, and the database in use is kept. A running Relais reopens the new
 * file at its next search (main/drugs/catalog.ts).
 */
import { join } from 'node:path';
import { BdpmFormatError } from './bdpm-files';
import { DRUG_DB_FILE, importBdpm } from './catalog';

export interface BdpmCliIo {
  out(line: string): void;
  err(line: string): void;
}

export function runBdpmImport(args: readonly string[], io: BdpmCliIo, dataDir: string, usage: string): number {
  const [sub, source] = args;
  if (sub !== 'import' || !source) {
    io.err(usage);
    return 2;
  }
  try {
    const t0 = performance.now();
    const release = importBdpm(source, join(dataDir, DRUG_DB_FILE));
    const date = release.releaseDate ? release.releaseDate.split('-').reverse().join('/') : 'inconnue';
    io.out(`Base des médicaments importée : ${release.specialities} spécialités, données au ${date} (${Math.round(performance.now() - t0)} ms).`);
    return 0;
  } catch (err) {
    if (err instanceof BdpmFormatError) {
      const where = err.line ? `${err.file}, ligne ${err.line}` : err.file;
      io.err(`Import refusé — ${where} : ${err.frenchMessage} La base précédente reste utilisée.`);
      return 2;
    }
    throw err;
  }
}
