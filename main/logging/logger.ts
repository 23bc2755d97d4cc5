import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { ensurePrivateDir } from '../store/private-files';
import { redactFields, scrubText } from './redact';

/**
 * The technical log a support person reads (issue 16, item 4): `<data dir>/logs/relais.log`,
 * rotated by size (1 MiB × 5 files by default), owner-only, one line per event:
 *   2026-12-01T04:20:00.000Z INFO  7f3a9c2e shell.started host=electron version="0.1.0"
 * The 8-hex correlation id is drawn once per launch, so one run's lines can be picked out of a
 * rotated set. Fields go through redact.ts: no patient data, PIN or token ever gets written.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  readonly correlationId: string;
  error(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
  setLevel(level: LogLevel): void;
  close(): Promise<void>;
}

export const LOG_FILE = 'relais.log';

export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

export interface LoggerOptions {
  dir: string;
  level?: LogLevel;
  /** Rotation size per file ('1M' by default) and number of files kept (5). */
  size?: `${number}${'B' | 'K' | 'M'}`;
  files?: number;
  /** Also copy to stderr (development, tests that read the process output). */
  echo?: boolean;
}

export function formatLine(level: LogLevel, correlationId: string, event: string, fields: Record<string, unknown>, now = new Date()): string {
  const parts = Object.entries(redactFields(fields))
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)}`);
  const name = scrubText(event).replace(/\s+/g, '_');
  return `${now.toISOString()} ${level.toUpperCase().padEnd(5)} ${correlationId} ${name}${parts.length ? ' ' + parts.join(' ') : ''}\n`;
}

export function createLogger(options: LoggerOptions): Logger {
  ensurePrivateDir(options.dir);
  const stream: RotatingFileStream = createStream((time) => (time ? `${LOG_FILE}.${String(time)}` : LOG_FILE), {
    // Classical logrotate mode: the generator gets the rotation index (1…files), null for the live file.
    path: options.dir,
    size: options.size ?? '1M',
    rotate: options.files ?? 5,
    mode: 0o600,
  });
  // A full disk or a vanished folder must never bring the app down: logging is best effort.
  stream.on('error', () => undefined);
  stream.on('warning', () => undefined);
  const correlationId = randomBytes(4).toString('hex');
  let level: LogLevel = options.level ?? 'info';
  let closed = false;
  const write = (at: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    if (closed || RANK[at] > RANK[level]) return;
    const line = formatLine(at, correlationId, event, fields);
    stream.write(line);
    if (options.echo) process.stderr.write(line);
  };
  return {
    correlationId,
    error: (e, f) => write('error', e, f),
    warn: (e, f) => write('warn', e, f),
    info: (e, f) => write('info', e, f),
    debug: (e, f) => write('debug', e, f),
    setLevel: (l) => {
      level = l;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        stream.end(() => resolve());
      }),
  };
}

/** A logger that writes nowhere (tests of modules that take one). */
export const silentLogger: Logger = {
  correlationId: '00000000',
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  setLevel: () => undefined,
  close: async () => undefined,
};
