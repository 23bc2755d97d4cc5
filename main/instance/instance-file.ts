import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { resolveDataDir } from '../config/data-dir';
import { ensurePrivateDir } from '../store/private-files';
import { loopbackControlUrl } from './control-url';

/** Where a running Relais says how to reach it, so `relais launch` can forward to it. */
export const InstanceInfoSchema = z.object({
  pid: z.number().int(),
  host: z.enum(['electron', 'web']),
  // The token goes only to a loopback endpoint: an instance.json naming another host is ignored.
  controlUrl: z.string().refine((url) => loopbackControlUrl(url) !== null, 'not a loopback control URL'),
  token: z.string().min(32),
  appUrl: z.string().optional(),
});
export type InstanceInfo = z.infer<typeof InstanceInfoSchema>;

/** The same directory for the CLI, the web host and the Electron shell (main/config/data-dir.ts). */
export function defaultDataDir(): string {
  return resolveDataDir();
}

export function instanceFilePath(dataDir: string): string {
  return join(dataDir, 'instance.json');
}

/** Written owner-only: the token lets any local process holding it open a patient. */
export function writeInstanceFile(dataDir: string, info: InstanceInfo): void {
  ensurePrivateDir(dataDir);
  const path = instanceFilePath(dataDir);
  writeFileSync(path, JSON.stringify(info), { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function readInstanceFile(dataDir: string): InstanceInfo | null {
  try {
    return InstanceInfoSchema.parse(JSON.parse(readFileSync(instanceFilePath(dataDir), 'utf8')));
  } catch {
    return null;
  }
}

export function removeInstanceFile(dataDir: string, pid: number = process.pid): void {
  const info = readInstanceFile(dataDir);
  if (info?.pid === pid) rmSync(instanceFilePath(dataDir), { force: true });
}
