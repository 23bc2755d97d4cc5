import type { Database } from 'better-sqlite3';
import { m001Journal } from './001-journal';
import { m002Audit } from './002-audit';
import { m003Drafts } from './003-drafts';
import { m004Outbox } from './004-outbox';
import { m005PanelsAlerts } from './005-panels-alerts';
import { m006JournalSearch } from './006-journal-search';
import { m007Confidentiality } from './007-confidentiality';
import { m008PrescriptionDrafts } from './008-prescription-drafts';
import { m009AuditChain } from './009-audit-chain';
import { m010AuditHead } from './010-audit-head';

export interface Migration {
  /** Sequential, starting at 1; stored in PRAGMA user_version once applied. */
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [m001Journal, m002Audit, m003Drafts, m004Outbox, m005PanelsAlerts, m006JournalSearch, m007Confidentiality, m008PrescriptionDrafts, m009AuditChain, m010AuditHead];

/** Applies every migration above the database's user_version, each in its own transaction. */
export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export function migrate(db: Database, upTo: number = LATEST_VERSION): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new Error(`store schema ${current} is newer than this Relais (${LATEST_VERSION})`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    current = m.version;
  }
  return current;
}
