import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { PolicyObject, validatePolicy, type PolicyResult } from './policy';

/**
 * Where each OS keeps the machine policy, and how its raw values become typed ones before the
 * zod check (main/config/policy.ts). Readers are plain functions of the text, tested on fixtures.
 */
export const WINDOWS_POLICY_KEY = 'HKLM\\Software\\Policies\\Relais';
export const MACOS_POLICY_FILE = '/Library/Managed Preferences/fr.relais.desktop.plist';
export const LINUX_POLICY_FILE = '/etc/relais/policy.json';

const KEYS = Object.keys(PolicyObject.shape);
const BOOLEAN_KEYS = new Set(['followLgc', 'launchEndpointEnabled', 'updatesDisabled', 'allowUnencryptedStores', 'startAtLogin', 'startAtLoginUserChoice', 'focusOnLaunch']);
const NUMBER_KEYS = new Set(['launchEndpointPort']);
const LIST_KEYS = new Set(['signInModes']);

/** Registry value names are case-insensitive: PlatformUrl, platformurl and platformUrl are one key. */
function canonicalKey(name: string): string {
  return KEYS.find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

/** A value as the key expects it; anything else is kept raw so the check names it. */
function typed(key: string, value: unknown): unknown {
  if (BOOLEAN_KEYS.has(key)) {
    if (value === 0 || value === '0' || value === 'false') return false;
    if (value === 1 || value === '1' || value === 'true') return true;
  }
  if (NUMBER_KEYS.has(key) && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (LIST_KEYS.has(key) && typeof value === 'string') return value.split(/[,;\s]+/).filter(Boolean);
  return value;
}

/**
 * Parses `reg query HKLM\Software\Policies\Relais` output: lines `    Name    REG_TYPE    data`.
 * REG_DWORD comes as 0x…, REG_MULTI_SZ joined by \0 (as reg prints it).
 */
export function parseRegQuery(output: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s{2,}(\S+)\s+(REG_SZ|REG_EXPAND_SZ|REG_DWORD|REG_QWORD|REG_MULTI_SZ)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, name, type, data] = m as unknown as [string, string, string, string];
    const key = canonicalKey(name);
    let value: unknown = data.trim();
    if (type === 'REG_DWORD' || type === 'REG_QWORD') value = Number.parseInt(data.trim(), 16);
    else if (type === 'REG_MULTI_SZ') value = data.split('\\0').map((s) => s.trim()).filter(Boolean);
    raw[key] = typed(key, value);
  }
  return raw;
}

/** Linux /etc/relais/policy.json: a JSON object with the same keys. */
export function parsePolicyJson(text: string): Record<string, unknown> {
  const value = JSON.parse(text) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('policy.json must hold an object');
  return value as Record<string, unknown>;
}

/**
 * A managed-preferences plist in XML form (`plutil -convert xml1` of the binary file): a top dict
 * of string / integer / true / false / array-of-string. Enough for a configuration profile's keys.
 */
export function parsePlistXml(xml: string): Record<string, unknown> {
  const body = /<dict>([\s\S]*)<\/dict>\s*<\/plist>/.exec(xml)?.[1];
  if (body === undefined) throw new Error('not a plist dictionary');
  const out: Record<string, unknown> = {};
  const token = /<key>([^<]*)<\/key>\s*(<string>([^<]*)<\/string>|<integer>(-?\d+)<\/integer>|<(true|false)\/>|<array>([\s\S]*?)<\/array>|<string\/>)/g;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const key = canonicalKey(unescapeXml(m[1]!));
    let value: unknown;
    if (m[3] !== undefined) value = unescapeXml(m[3]);
    else if (m[4] !== undefined) value = Number(m[4]);
    else if (m[5] !== undefined) value = m[5] === 'true';
    else if (m[6] !== undefined) value = [...m[6].matchAll(/<string>([^<]*)<\/string>/g)].map((s) => unescapeXml(s[1]!));
    else value = '';
    out[key] = typed(key, value);
  }
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export interface PolicyReadDeps {
  platform: NodeJS.Platform;
  /** Runs a program and gives its stdout (reg.exe, plutil); rejects on a non-zero exit. */
  run(file: string, args: string[]): Promise<string>;
  exists(path: string): boolean;
  readText(path: string): string;
  /** RELAIS_POLICY_FILE: a JSON policy file in place of the OS one (tests, a lab machine). */
  overrideFile?: string | undefined;
}

const execFileAsync = promisify(execFile);

export const systemPolicyDeps = (env: NodeJS.ProcessEnv = process.env): PolicyReadDeps => ({
  platform: process.platform,
  run: async (file, args) => (await execFileAsync(file, args, { encoding: 'utf8', windowsHide: true, timeout: 10_000 })).stdout,
  exists: existsSync,
  readText: (p) => readFileSync(p, 'utf8'),
  overrideFile: env.RELAIS_POLICY_FILE?.trim() || undefined,
});

/** Reads and checks this machine's policy. No policy at all is an empty one, not a problem. */
export async function readMachinePolicy(deps: PolicyReadDeps): Promise<PolicyResult> {
  try {
    if (deps.overrideFile) return validatePolicy(parsePolicyJson(deps.readText(deps.overrideFile)), deps.overrideFile);
    if (deps.platform === 'win32') {
      let output: string;
      try {
        output = await deps.run('reg', ['query', WINDOWS_POLICY_KEY]);
      } catch {
        return validatePolicy({}, null); // the key does not exist: no GPO for Relais
      }
      return validatePolicy(parseRegQuery(output), WINDOWS_POLICY_KEY);
    }
    if (deps.platform === 'darwin') {
      if (!deps.exists(MACOS_POLICY_FILE)) return validatePolicy({}, null);
      const xml = await deps.run('plutil', ['-convert', 'xml1', '-o', '-', MACOS_POLICY_FILE]);
      return validatePolicy(parsePlistXml(xml), MACOS_POLICY_FILE);
    }
    if (!deps.exists(LINUX_POLICY_FILE)) return validatePolicy({}, null);
    return validatePolicy(parsePolicyJson(deps.readText(LINUX_POLICY_FILE)), LINUX_POLICY_FILE);
  } catch (error) {
    return {
      policy: {},
      source: deps.overrideFile ?? null,
      problems: [{ key: '*', message: `Stratégie Relais illisible (${String((error as Error).message ?? error).slice(0, 160)}) : aucune de ses clés n'est appliquée.` }],
    };
  }
}
