import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as defaults from './defaults';
import { checkPlatformUrl, demoEnabled, platformUrlProblem } from './platform-url';

describe('platform URL of an install', () => {
  it('has no built-in default: no URL is « not configured », not the local sandbox', () => {
    expect(Object.keys(defaults)).not.toContain('DEFAULT_PLATFORM_URL');
    expect(platformUrlProblem(undefined)?.code).toBe('PLATFORM_NOT_CONFIGURED');
    expect(platformUrlProblem('  ')?.code).toBe('PLATFORM_NOT_CONFIGURED');
    expect(platformUrlProblem('not a url')?.code).toBe('PLATFORM_NOT_CONFIGURED');
  });

  it('requires https off the machine; plain http only on a loopback address', () => {
    expect(checkPlatformUrl('https://platform.example/fhir')).toBe('https://platform.example/fhir');
    for (const ok of ['http://127.0.0.1:8787/fhir', 'http://localhost:8787/fhir', 'http://[::1]:8787/fhir', 'http://127.1.2.3/fhir']) {
      expect(platformUrlProblem(ok)).toBeNull();
    }
    for (const bad of ['http://platform.example/fhir', 'http://192.168.1.10:8787/fhir', 'http://127.0.0.1.evil.example/fhir', 'ftp://platform.example/', 'ws://127.0.0.1/']) {
      expect(platformUrlProblem(bad)).toMatchObject({ code: 'PLATFORM_NOT_CONFIGURED', message: expect.stringMatching(/https|URL/) });
    }
  });

  it('the demo identity is opt-in: only RELAIS_DEMO=1', () => {
    expect(demoEnabled({})).toBe(false);
    expect(demoEnabled({ RELAIS_DEMO: '0' })).toBe(false);
    expect(demoEnabled({ RELAIS_DEMO: 'yes' })).toBe(false);
    expect(demoEnabled({ RELAIS_DEMO: '1' })).toBe(true);
  });

  it('the Electron shell reads both switches through these checks (no default URL, no implicit demo)', () => {
    const shell = readFileSync(join(import.meta.dirname, '..', 'electron', 'main.ts'), 'utf8');
    expect(shell).not.toMatch(/DEFAULT_PLATFORM_URL|RELAIS_DEMO === '0'/);
    expect(shell).toContain("const demo = demoEnabled() && modes.has('demo');");
    expect(shell).toMatch(/platformUrlProblem\(/);
  });
});
