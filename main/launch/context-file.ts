import { createHash } from 'node:crypto';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { RelaisError, type LaunchContext } from '../../contract';
import { RAW_LAUNCH_FIELDS, launchContextFromValues, type RawLaunchValues } from './context';
import { ContextFileError, assertTrustedContextFile, findDuplicateJsonKey } from './context-file-checks';

/** A context file describes one patient: anything bigger is not one. */
export const MAX_CONTEXT_FILE_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Decoding: UTF-8 (with or without BOM), UTF-16 LE with BOM (Notepad's "Unicode"), else Windows-1252
// ---------------------------------------------------------------------------------------------

/** Windows-1252 0x80–0x9F (Node without full ICU decodes 'windows-1252' as Latin-1). Undefined bytes stay C1. */
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? CP1252_C1[b - 0x80]! : b);
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a context file: BOMs are honoured; bytes that are not valid UTF-8 are read as Windows-1252. */
export function decodeContextFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  try {
    return UTF8.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Keys: birthName, birth_name, birth-name, BIRTHNAME, "Birth Name" are one key
// ---------------------------------------------------------------------------------------------

const KEY_ALIASES = new Map<string, keyof RawLaunchValues>([
  ...RAW_LAUNCH_FIELDS.map((f) => [f.toLowerCase(), f] as const),
  ['practitionerrpps', 'rpps'],
]);

function canonicalKey(raw: string): keyof RawLaunchValues | undefined {
  return KEY_ALIASES.get(raw.toLowerCase().replace(/[\s_-]+/g, ''));
}

function assign(values: RawLaunchValues, key: keyof RawLaunchValues, value: string): void {
  const previous = values[key];
  // Two spellings of one key with different values: ambiguous about the patient.
  if (previous !== undefined && previous !== value) {
    throw new RelaisError('INVALID_INPUT', `context file gives ${key} twice with different values`, key);
  }
  values[key] = value;
}

function valuesFromJson(text: string): RawLaunchValues {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new RelaisError('INVALID_INPUT', 'context file is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new RelaisError('INVALID_INPUT', 'context file JSON must be an object');
  }
  // JSON.parse keeps the last of two equal keys: {"ins":"A","ins":"B"} must not silently open B.
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== undefined) throw new ContextFileError('DUPLICATE_KEY', `context file gives the key ${JSON.stringify(duplicate)} twice`);
  const values: RawLaunchValues = {};
  for (const [rawKey, v] of Object.entries(doc)) {
    const key = canonicalKey(rawKey);
    if (!key || v === null || v === undefined) continue;
    let value: string;
    if (typeof v === 'string') value = v;
    else if (key === 'firstNames' && Array.isArray(v) && v.every((n) => typeof n === 'string')) {
      // A list is joined with commas; a comma inside one name would split it, so refuse it.
      if (v.some((n: string) => n.includes(','))) throw new RelaisError('INVALID_INPUT', 'a first name contains a comma', 'firstNames');
      value = v.join(',');
    } else if ((key === 'ins' || key === 'rpps' || key === 'lgcPatientId') && Number.isSafeInteger(v)) {
      value = String(v);
    } else {
      throw new RelaisError('INVALID_INPUT', `${key} must be a string`, key);
    }
    assign(values, key, value);
  }
  return values;
}

/** INI-style: optional [patient] section (other sections ignored), key=value, ; and # comments. */
function valuesFromIni(text: string): RawLaunchValues {
  const values: RawLaunchValues = {};
  let section = '';
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      continue;
    }
    if (section !== '' && section !== 'patient') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new RelaisError('INVALID_INPUT', 'context file line is not key=value');
    const key = canonicalKey(line.slice(0, eq).trim());
    if (!key) continue;
    let value = line.slice(eq + 1).trim();
    // Double quotes only: an apostrophe may begin or end a name.
    const quoted = /^"(.*)"$/.exec(value);
    if (quoted) value = quoted[1]!;
    assign(values, key, value);
  }
  return values;
}

/**
 * The patient in a context file written by the practice software: JSON (an object) or INI-style
 * key=value lines, UTF-8 or Windows-1252. Throws a RelaisError like every other launch channel.
 */
export function parseContextFileContent(content: Uint8Array | string): LaunchContext {
  const size = typeof content === 'string' ? content.length : content.byteLength;
  if (size > MAX_CONTEXT_FILE_BYTES) throw new RelaisError('INVALID_INPUT', 'context file too large');
  const text = (typeof content === 'string' ? content : decodeContextFile(content)).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new RelaisError('TRAITS_MISSING', 'context file is empty');
  const values = text.trimStart().startsWith('{') ? valuesFromJson(text) : valuesFromIni(text);
  return launchContextFromValues(values);
}

// ---------------------------------------------------------------------------------------------
// Watching
// ---------------------------------------------------------------------------------------------

/** Configuration of the context-file channel: off unless the practice sets a path. */
export interface ContextFileConfig {
  enabled: boolean;
  /** Absolute path of the file the practice software writes (local disk or network share). */
  path?: string;
  debounceMs: number;
  pollIntervalMs: number;
}

export const DEFAULT_CONTEXT_FILE_CONFIG: ContextFileConfig = { enabled: false, debounceMs: 150, pollIntervalMs: 2000 };

export interface ContextFileWatchOptions {
  /** The file the practice software writes the current patient to. */
  path: string;
  onContext(context: LaunchContext, raw: Buffer): void;
  /** Invalid content (bad INS, missing traits…), once per distinct content. */
  onError(error: RelaisError): void;
  /** Quiet time after the last change, and between the two reads that must agree. */
  debounceMs?: number;
  /** Slow stat() poll for network shares, where change events are often missed. */
  pollIntervalMs?: number;
  /** Whether a file already present when watching starts is a launch (default: no, it may be stale). */
  emitExisting?: boolean;
  /** fs.watch on the directory (default true); false relies on the poll alone (odd network shares). */
  useFsWatch?: boolean;
  /** The user Relais runs as (POSIX); tests only. Default process.getuid(); on Windows none: no owner check. */
  uid?: number;
}

export interface ContextFileWatcher {
  close(): void;
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Follows a context file. fs.watch on the directory (LGCs often write a temporary file and rename
 * it over the old one, which a file watch loses) plus a stat() poll. Content is handled only once
 * two reads `debounceMs` apart agree, so a half-written file is never taken for a patient; a
 * content already handled (opened or reported) is not handled again; a deleted file does nothing.
 */
export function watchContextFile(options: ContextFileWatchOptions): ContextFileWatcher {
  const { path, onContext, onError } = options;
  const debounceMs = options.debounceMs ?? 150;
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const dir = dirname(path);
  const name = basename(path);

  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let rerun = false;
  let lastRead: Buffer | undefined;
  let lastHandled: string | undefined;
  let lastStat = '';
  let watcher: FSWatcher | undefined;
  let primed = options.emitExisting === true || !existsSync(path);

  const schedule = (delay = debounceMs) => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), delay);
  };

  async function tick(): Promise<void> {
    timer = undefined;
    if (closed) return;
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    try {
      await check();
    } finally {
      running = false;
      if (rerun && !closed) {
        rerun = false;
        schedule();
      }
    }
  }

  const uid = options.uid ?? process.getuid?.();
  let lastRefused: string | undefined;

  /** Reported once per distinct state, like invalid content, not on every poll. */
  function refuse(error: ContextFileError, state: string): void {
    const key = `${error.reason}:${state}`;
    if (key === lastRefused) return;
    lastRefused = key;
    lastRead = undefined;
    onError(error);
  }

  /**
   * One descriptor for everything: fstat it (the file we check is the file we read, even if it
   * is renamed or replaced meanwhile), check who may write it, read it, and re-check the size:
   * a file that grew or shrank while read is read again on the next tick, never half-used.
   */
  async function readTrusted(): Promise<Buffer | undefined> {
    const handle = await open(path, 'r');
    try {
      const s = await handle.stat();
      if (!s.isFile() || s.size > MAX_CONTEXT_FILE_BYTES * 4) return undefined;
      if (uid !== undefined) {
        const d = await stat(dir);
        try {
          assertTrustedContextFile(path, s, d, uid);
        } catch (error) {
          if (!(error instanceof ContextFileError)) throw error;
          refuse(error, `${s.ino}:${s.uid}:${s.mode}:${d.uid}:${d.mode}`);
          return undefined;
        }
      }
      const buffer = Buffer.alloc(s.size + 1);
      let read = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
        if (bytesRead === 0 || read + bytesRead === buffer.length) {
          read += bytesRead;
          break;
        }
        read += bytesRead;
      }
      const after = await handle.stat();
      if (read !== s.size || after.size !== s.size || after.mtimeMs !== s.mtimeMs) {
        schedule(); // changed under us: not what we checked
        return undefined;
      }
      lastRefused = undefined;
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  }

  async function check(): Promise<void> {
    let bytes: Buffer | undefined;
    try {
      bytes = await readTrusted();
      if (!bytes) return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        lastRead = undefined; // deleted (or between unlink and rename): nothing to do
        primed = true;
      } else schedule(); // EBUSY/EPERM/EACCES while the LGC holds the file (Windows): retry
      return;
    }
    if (closed) return;
    if (!lastRead || !lastRead.equals(bytes)) {
      // First sight of this content: read again after the quiet time before believing it.
      lastRead = bytes;
      schedule();
      return;
    }
    const hash = digest(bytes);
    if (hash === lastHandled) return;
    lastHandled = hash;
    if (!primed) {
      primed = true; // the file that was there before we started: remembered, not opened
      return;
    }
    let context: LaunchContext;
    try {
      context = parseContextFileContent(bytes);
    } catch (error) {
      // A refusal of the file itself (a key twice) names the file in the window's message.
      if (error instanceof ContextFileError) onError(error.withFile(path));
      else onError(error instanceof RelaisError ? error : new RelaisError('INTERNAL', String(error)));
      return;
    }
    onContext(context, bytes);
  }

  function startWatch(): void {
    if (watcher || closed || options.useFsWatch === false) return;
    try {
      watcher = watch(dir, { persistent: false }, (_event, filename) => {
        if (filename === null || filename === name || filename.toString() === name) schedule();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined; // the poll re-establishes it (directory recreated, share back)
      });
    } catch {
      watcher = undefined; // directory missing or not watchable: the poll still works
    }
  }

  async function poll(): Promise<void> {
    startWatch();
    let key: string;
    try {
      const s = await stat(path);
      key = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      key = 'missing';
      primed = true; // no file: whatever appears next is a launch
    }
    if (key !== lastStat) {
      lastStat = key;
      if (key !== 'missing') schedule();
    }
  }

  startWatch();
  const pollTimer = setInterval(() => void poll(), pollIntervalMs);
  pollTimer.unref();
  void poll();

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      clearInterval(pollTimer);
      watcher?.close();
      watcher = undefined;
    },
  };
}
