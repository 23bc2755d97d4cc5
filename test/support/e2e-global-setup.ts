import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildRenderer } from './app-fixture';

/** Once per e2e run: what a user runs (renderer and CLI bundles), and the screenshots folder. */
export default function setup(): void {
  buildRenderer();
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
}
