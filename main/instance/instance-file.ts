import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir } from '../store/private-files';

/** Where a running Relais says how to reach it, so `relais launch` can forward to it. */
export const InstanceInfoSchema = z.object({
  pid: z.number().int(),
  host: z.enum(['electron', 'web']),
  controlUrl: z.string().url(),
  token: z.string().min(32),
  appUrl: z.string().optional(),
});
export type InstanceInfo = z.infer<typeof InstanceInfoSchema>;

export function defaultDataDir(): string {
  return process.env.RELAIS_DATA_DIR ?? join(homedir(), '.relais');
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
