import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { PolicyResult } from '../config/policy';
import { LOG_FILE, logDir } from '../logging/logger';
import { scrubText } from '../logging/redact';

/**
 * « Exporter un diagnostic » (issue 16, item 4): one zip for the support person — versions, the
 * policy in effect, the last logs, outbox counts, whether the platform answers. Nothing from a
 * patient: the logs are already redacted when written, and are scrubbed again here line by line;
 * outbox items are counted, never listed.
 */
export interface DiagnosticInput {
  dataDir: string;
  versions: Record<string, string>;
  policy: PolicyResult;
  platformUrl: string;
  outboxCounts: Record<string, number> | null;
  correlationId: string;
  reachability: { reachable: boolean; status?: number; elapsedMs?: number; error?: string };
  now?: Date;
}

const MAX_LOG_BYTES = 2 * 1024 * 1024;

export function buildDiagnosticZip(input: DiagnosticInput): Uint8Array {
  const json = (v: unknown) => strToU8(JSON.stringify(v, null, 2) + '\n');
  const files: Record<string, Uint8Array> = {
    'LISEZMOI.txt': strToU8(
      `Diagnostic Relais du ${(input.now ?? new Date()).toISOString()} (lancement ${input.correlationId}).\n` +
        "Contient : versions, stratégie machine en vigueur, derniers journaux techniques, nombre d'envois en attente, joignabilité de la plateforme.\n" +
        'Ne contient aucune donnée de patient, aucun code PIN ni jeton.\n',
    ),
    'versions.json': json(input.versions),
    'policy.json': json({ source: input.policy.source, inForce: input.policy.policy, problems: input.policy.problems }),
    'outbox.json': json(input.outboxCounts ?? { note: 'personne n’est connecté : pas de file d’envoi ouverte' }),
    'platform.json': json({ url: scrubText(input.platformUrl), ...input.reachability }),
  };
  const dir = logDir(input.dataDir);
  if (existsSync(dir)) {
    let budget = MAX_LOG_BYTES;
    const logs = readdirSync(dir)
      .filter((f) => f === LOG_FILE || f.startsWith(`${LOG_FILE}.`))
      .sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs);
    for (const name of logs) {
      if (budget <= 0) break;
      const text = readFileSync(join(dir, name), 'utf8');
      const tail = text.length > budget ? text.slice(text.length - budget) : text;
      budget -= tail.length;
      files[`logs/${name}`] = strToU8(tail.split('\n').map(scrubText).join('\n'));
    }
  }
  return zipSync(files, { level: 6 });
}

/** Does the platform answer? `GET <base>/metadata` (the FHIR CapabilityStatement), 5 s at most. */
export async function platformReachability(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<DiagnosticInput['reachability']> {
  if (!baseUrl) return { reachable: false, error: 'aucune plateforme configurée' };
  const started = Date.now();
  try {
    const res = await fetchImpl(new URL('metadata', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), { signal: AbortSignal.timeout(5_000), headers: { accept: 'application/fhir+json' } });
    await res.arrayBuffer().catch(() => undefined);
    return { reachable: res.status < 500, status: res.status, elapsedMs: Date.now() - started };
  } catch (error) {
    return { reachable: false, elapsedMs: Date.now() - started, error: scrubText(String((error as Error).message ?? error)).slice(0, 200) };
  }
}

export function diagnosticFileName(now = new Date()): string {
  return `relais-diagnostic-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
}
