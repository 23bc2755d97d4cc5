import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/**
 * The sandbox platform in a process of its own (`sandbox/cli.ts`), for the benchmarks that
 * measure the window: in use the platform is another machine, and run inside the bench's process
 * its searches (the previous patient's panels, a background sync) shared one event loop with the
 * core and delayed the answers the window was waiting for (issue 12: the launch→paint tail).
 */
export interface SandboxProcess {
  url: string;
  close(): Promise<void>;
}

export async function startSandboxProcess(seed = 1, timeoutMs = 120_000): Promise<SandboxProcess> {
  const root = join(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'sandbox', 'cli.ts'), '--port', '0', '--seed', String(seed)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sandbox process: no SANDBOX_URL line in time')), timeoutMs);
    child.once('exit', (code) => reject(new Error(`sandbox process exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('SANDBOX_URL=')) return;
      clearTimeout(timer);
      resolve(line.slice('SANDBOX_URL='.length));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
