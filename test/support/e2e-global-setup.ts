import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildRenderer } from './app-fixture';

/** Once per e2e run: what a user runs (renderer and CLI bundles), and the screenshots folder. */
export default function setup(): void {
  buildRenderer();
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  // This run's web-host logs (RELAIS_LOG_DIR, vitest.e2e.config.ts): the scan reads only them.
  rmSync(join(ROOT, 'test-results', 'logs', 'e2e'), { recursive: true, force: true });
}
