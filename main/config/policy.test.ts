import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyObject, lockedSettings, validatePolicy, type PolicyKey } from './policy';
import { parsePlistXml, parseRegQuery, readMachinePolicy, type PolicyReadDeps } from './policy-sources';

/** One good and one bad value for every key (the acceptance of issue 16, item 3). */
const CASES: Record<PolicyKey, { good: unknown; bad: unknown }> = {
  platformUrl: { good: 'https://coordination.example.fr/fhir', bad: 'http://coordination.example.fr/fhir' },
  signInModes: { good: ['card', 'psc'], bad: ['password'] },
  pscIssuer: { good: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet', bad: 'http://auth.example/' },
  pscClientId: { good: 'relais-cabinet', bad: '' },
  contextFilePath: { good: 'C:\\LGC\\contexte.json', bad: 42 },
  followLgc: { good: false, bad: 'parfois' },
  launchEndpointEnabled: { good: true, bad: 2 },
  launchEndpointPort: { good: 8791, bad: 80 },
  updateUrl: { good: 'https://maj.relais.example/', bad: 'ftp://maj.relais.example/' },
  updateChannel: { good: 'pilote', bad: 'beta' },
  updatesDisabled: { good: true, bad: 'oui' },
  updatePublisherName: { good: 'CN=Relais Santé SAS, O=Relais Santé SAS, C=FR', bad: '   ' },
  allowUnencryptedStores: { good: false, bad: 'no' },
  logLevel: { good: 'debug', bad: 'verbose' },
  proxyMode: { good: 'system', bad: 'auto' },
  proxyRules: { good: 'http=proxy.cabinet:3128;https=proxy.cabinet:3128', bad: '' },
  proxyPacUrl: { good: 'http://wpad.cabinet/proxy.pac', bad: 'pas une adresse' },
  startAtLogin: { good: true, bad: 'toujours' },
  startAtLoginUserChoice: { good: false, bad: 3 },
  focusOnLaunch: { good: true, bad: null },
};

describe('machine policy (zod)', () => {
  it('covers every key of the schema', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(PolicyObject.shape).sort());
  });

  for (const [key, { good, bad }] of Object.entries(CASES)) {
    it(`${key}: a good value is in force, a bad one is named with what it expects`, () => {
      const ok = validatePolicy({ [key]: good }, 'test');
      expect(ok.problems).toEqual([]);
      expect(ok.policy).toEqual({ [key]: good });
      const other = key === 'logLevel' ? { followLgc: true } : { logLevel: 'warn' };
      const ko = validatePolicy({ [key]: bad, ...other }, 'test');
      expect(ko.policy).toEqual(other);
      expect(ko.problems).toHaveLength(1);
      expect(ko.problems[0]!.key).toBe(key);
      expect(ko.problems[0]!.message).toContain(`« ${key} »`);
      expect(ko.problems[0]!.message).toMatch(/attendu : \S/);
    });
  }

  it('an unknown key (a typo in a GPO) is reported, never ignored silently', () => {
    const r = validatePolicy({ platfromUrl: 'https://x.example/' }, 'test');
    expect(r.policy).toEqual({});
    expect(r.problems[0]!.message).toContain('« platfromUrl » est inconnue');
  });

  it('a proxy mode needing a value without it is refused', () => {
    const r = validatePolicy({ proxyMode: 'pac' }, 'test');
    expect(r.policy).toEqual({});
    expect(r.problems.map((p) => p.key)).toEqual(['proxyPacUrl']);
  });

  it('lists the settings it locks', () => {
    expect(lockedSettings({ followLgc: false, updatesDisabled: true })).toEqual(['followLgc', 'updatesDisabled']);
  });
});

const REG_FIXTURE = readFileSync(join(import.meta.dirname, '__fixtures__', 'reg-query.txt'), 'utf8');
const PLIST_FIXTURE = readFileSync(join(import.meta.dirname, '__fixtures__', 'managed-prefs.plist'), 'utf8');

describe('policy readers', () => {
  it('parses `reg query HKLM\\Software\\Policies\\Relais` (REG_SZ, REG_DWORD, REG_MULTI_SZ, any case)', () => {
    const raw = parseRegQuery(REG_FIXTURE);
    expect(raw).toEqual({
      platformUrl: 'https://coordination.ars-example.fr/fhir',
      signInModes: ['card', 'psc'],
      updatesDisabled: false,
      updateChannel: 'pilote',
      launchEndpointPort: 8791,
      followLgc: true,
      logLevel: 'info',
      contextFilePath: 'C:\\ProgramData\\LGC\\relais-contexte.json',
    });
    expect(validatePolicy(raw, 'reg').problems).toEqual([]);
  });

  it('a REG_SZ « yes » where a DWORD is expected is named', () => {
    const raw = parseRegQuery('HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais\r\n    UpdatesDisabled    REG_SZ    yes\r\n');
    expect(validatePolicy(raw, 'reg').problems[0]!.key).toBe('updatesDisabled');
  });

  it('parses a managed-preferences plist (XML)', () => {
    expect(parsePlistXml(PLIST_FIXTURE)).toEqual({
      platformUrl: 'https://coordination.ars-example.fr/fhir',
      signInModes: ['card'],
      updatesDisabled: true,
      launchEndpointPort: 8800,
      pscClientId: 'relais & co',
    });
  });

  const deps = (over: Partial<PolicyReadDeps>): PolicyReadDeps => ({
    platform: 'linux',
    run: async () => {
      throw new Error('absent');
    },
    exists: () => false,
    readText: () => {
      throw new Error('absent');
    },
    ...over,
  });

  it('reads each OS from its own place', async () => {
    const win = await readMachinePolicy(deps({ platform: 'win32', run: async (f, a) => (f === 'reg' && a[1] === 'HKLM\\Software\\Policies\\Relais' ? REG_FIXTURE : '') }));
    expect(win.policy.updateChannel).toBe('pilote');
    expect(win.source).toBe('HKLM\\Software\\Policies\\Relais');
    const noGpo = await readMachinePolicy(deps({ platform: 'win32' }));
    expect(noGpo).toEqual({ policy: {}, problems: [], source: null });
    const mac = await readMachinePolicy(deps({ platform: 'darwin', exists: () => true, run: async (f) => (f === 'plutil' ? PLIST_FIXTURE : '') }));
    expect(mac.policy.signInModes).toEqual(['card']);
    const linux = await readMachinePolicy(deps({ exists: (p) => p === '/etc/relais/policy.json', readText: () => '{"logLevel":"debug","updatesDisabled":true}' }));
    expect(linux.policy).toEqual({ logLevel: 'debug', updatesDisabled: true });
  });

  it('an unreadable policy file applies nothing and says so', async () => {
    const r = await readMachinePolicy(deps({ exists: () => true, readText: () => '{ pas du json' }));
    expect(r.policy).toEqual({});
    expect(r.problems[0]!.message).toMatch(/Stratégie Relais illisible/);
  });
});

describe('ADMX template (installer/policy)', () => {
  const admx = readFileSync(join(import.meta.dirname, '..', '..', 'installer', 'policy', 'relais.admx'), 'utf8');
  const adml = readFileSync(join(import.meta.dirname, '..', '..', 'installer', 'policy', 'fr-FR', 'relais.adml'), 'utf8');

  it('offers every policy key under HKLM\\Software\\Policies\\Relais', () => {
    const names = new Set([...admx.matchAll(/valueName="([^"]+)"/g)].map((m) => m[1]!.toLowerCase()));
    for (const key of Object.keys(CASES)) expect(names, key).toContain(key.toLowerCase());
    expect(admx).toContain('key="Software\\Policies\\Relais"');
  });

  it('every string and presentation it references exists in the French ADML', () => {
    const strings = new Set([...adml.matchAll(/<string id="([^"]+)"/g)].map((m) => m[1]));
    for (const m of admx.matchAll(/\$\(string\.([^)]+)\)/g)) expect(strings, m[1]).toContain(m[1]);
    const presentations = new Set([...adml.matchAll(/<presentation id="([^"]+)"/g)].map((m) => m[1]));
    for (const m of admx.matchAll(/\$\(presentation\.([^)]+)\)/g)) expect(presentations, m[1]).toContain(m[1]);
  });
});
