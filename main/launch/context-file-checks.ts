import type { Stats } from 'node:fs';
import { RelaisError } from '../../contract';

/** Why a context file was refused; the window words each one with the file's path (fr.ts). */
export type ContextFileProblem = 'DUPLICATE_KEY' | 'UNSAFE_OWNER' | 'UNSAFE_PERMISSIONS';

/**
 * A context file refused for what it is rather than for the patient in it. INVALID_INPUT like the
 * other launch refusals; `reason` (CONTEXT_FILE_…) lets the window say which, and `field` carries
 * the file's path so the message can name it (set by the watcher, which knows the path).
 */
export class ContextFileError extends RelaisError {
  readonly reason: string;
  constructor(
    readonly problem: ContextFileProblem,
    message: string,
    file?: string,
  ) {
    super('INVALID_INPUT', message, file);
    this.name = 'ContextFileError';
    this.reason = `CONTEXT_FILE_${problem}`;
  }

  withFile(file: string): ContextFileError {
    return new ContextFileError(this.problem, this.message, file);
  }
}

/**
 * The first key that appears twice in one object of a JSON text already accepted by JSON.parse
 * (which silently keeps the last: `{"ins":"A","ins":"B"}` would open B). Escapes are decoded, so
 * `"ins"` and `"\u0069ns"` are the same key. Scans once; strings are skipped as whole tokens.
 */
export function findDuplicateJsonKey(text: string): string | undefined {
  const stack: (Set<string> | null)[] = []; // one Set per open object, null per open array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] != null;
    } else if (c === ':') {
      expectKey = false;
    }
  }
  return undefined;
}

/** Who may have written a file: the fields of fs.Stats the check reads. */
export type OwnerStats = Pick<Stats, 'uid' | 'mode'>;

const S_ISVTX = 0o1000;

/**
 * POSIX only (Windows has no uid/mode: the ACL expectation is in docs/lgc-integration.md).
 * Whoever can write the context file chooses the patient Relais opens, so the file must be owned
 * by the user running Relais (or root) and not writable by others, and so must its directory
 * (else another user could replace the file). A world-writable directory is accepted only with
 * the sticky bit (like /tmp): there others cannot replace or delete a file they do not own, and
 * a file they created first fails the owner check. Group write is allowed: the LGC and Relais may
 * share a group on purpose, and Debian's default umask (002) gives it to every file.
 */
export function assertTrustedContextFile(file: string, fileStats: OwnerStats, dirStats: OwnerStats, uid: number): void {
  const trustedOwner = (s: OwnerStats) => s.uid === uid || s.uid === 0;
  if (!trustedOwner(fileStats) || !trustedOwner(dirStats)) {
    throw new ContextFileError('UNSAFE_OWNER', 'context file or its directory is owned by another user', file);
  }
  const worldWritableFile = (fileStats.mode & 0o002) !== 0;
  const worldWritableDir = (dirStats.mode & 0o002) !== 0 && (dirStats.mode & S_ISVTX) === 0;
  if (worldWritableFile || worldWritableDir) {
    throw new ContextFileError('UNSAFE_PERMISSIONS', 'context file or its directory is writable by other users', file);
  }
}
