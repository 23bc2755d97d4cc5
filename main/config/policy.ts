import { z } from 'zod';

/**
 * Machine policy (issue 16, item 3): what an IT person decides for every professional of a
 * machine, deployed by GPO (HKLM\Software\Policies\Relais), a macOS configuration profile
 * (/Library/Managed Preferences/fr.relais.desktop.plist) or /etc/relais/policy.json on Linux.
 * It beats the user's settings. Every key is optional (absent = not decided by IT); a key that is
 * present but wrong is named in a French message, never silently replaced by a default.
 */

const httpsUrl = z
  .string()
  .url()
  .refine((u) => u.startsWith('https://'), 'https');
/** https, or http on a loopback address (a local test platform). */
const platformUrl = z
  .string()
  .url()
  .refine((u) => {
    const url = new URL(u);
    if (url.protocol === 'https:') return true;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return url.protocol === 'http:' && (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host));
  }, 'https');

export const SIGN_IN_MODES = ['card', 'psc', 'demo'] as const;
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

export const PolicyObject = z
  .object({
    platformUrl: platformUrl.optional(),
    signInModes: z.array(z.enum(SIGN_IN_MODES)).min(1).optional(),
    pscIssuer: httpsUrl.optional(),
    pscClientId: z.string().min(1).max(200).optional(),
    contextFilePath: z.string().min(1).max(1000).optional(),
    followLgc: z.boolean().optional(),
    launchEndpointEnabled: z.boolean().optional(),
    launchEndpointPort: z.number().int().min(1024).max(65_535).optional(),
    updateUrl: httpsUrl.optional(),
    updateChannel: z.enum(['stable', 'pilote']).optional(),
    updatesDisabled: z.boolean().optional(),
    /** Authenticode publishers an update must be signed by (CN or full DN; several separated by « ; »). */
    updatePublisherName: z.string().trim().min(1).max(1000).optional(),
    allowUnencryptedStores: z.boolean().optional(),
    logLevel: z.enum(LOG_LEVELS).optional(),
    /** system: the OS proxy settings (PAC and WPAD included); direct; fixed: proxyRules; pac: proxyPacUrl. */
    proxyMode: z.enum(['system', 'direct', 'fixed', 'pac']).optional(),
    proxyRules: z.string().min(1).max(500).optional(),
    proxyPacUrl: z.string().url().optional(),
    startAtLogin: z.boolean().optional(),
    startAtLoginUserChoice: z.boolean().optional(),
    focusOnLaunch: z.boolean().optional(),
  })
  .strict();

export const PolicySchema = PolicyObject.superRefine((p, ctx) => {
  if (p.proxyMode === 'fixed' && !p.proxyRules)
    ctx.addIssue({ code: 'custom', path: ['proxyRules'], message: 'required' });
  if (p.proxyMode === 'pac' && !p.proxyPacUrl)
    ctx.addIssue({ code: 'custom', path: ['proxyPacUrl'], message: 'required' });
});
export type MachinePolicy = z.infer<typeof PolicySchema>;
export type PolicyKey = keyof MachinePolicy;

/** What each key expects, in French, for the message that names a bad key. */
export const POLICY_EXPECTED_FR: Record<PolicyKey, string> = {
  platformUrl: 'une adresse https:// (ou http:// sur 127.0.0.1 pour un essai local)',
  signInModes: 'une liste parmi card, psc, demo (au moins un)',
  pscIssuer: 'une adresse https:// du fournisseur Pro Santé Connect',
  pscClientId: "l'identifiant du client Pro Santé Connect (texte non vide)",
  contextFilePath: 'le chemin du fichier de contexte du logiciel du cabinet',
  followLgc: 'vrai ou faux (1 ou 0)',
  launchEndpointEnabled: 'vrai ou faux (1 ou 0)',
  launchEndpointPort: 'un numéro de port entre 1024 et 65535',
  updateUrl: 'une adresse https:// du serveur de mises à jour',
  updateChannel: 'stable ou pilote',
  updatesDisabled: 'vrai ou faux (1 ou 0)',
  updatePublisherName: "l'éditeur Authenticode des mises à jour (CN ou nom distinctif complet, plusieurs séparés par « ; »)",
  allowUnencryptedStores: 'vrai ou faux (1 ou 0)',
  logLevel: 'error, warn, info ou debug',
  proxyMode: 'system, direct, fixed ou pac',
  proxyRules: 'des règles de proxy (ex. « http=proxy:3128;https=proxy:3128 »)',
  proxyPacUrl: "l'adresse du fichier PAC",
  startAtLogin: 'vrai ou faux (1 ou 0)',
  startAtLoginUserChoice: 'vrai ou faux (1 ou 0)',
  focusOnLaunch: 'vrai ou faux (1 ou 0)',
};

export interface PolicyProblem {
  key: string;
  message: string;
}

export interface PolicyResult {
  /** The keys that are valid; a bad key is left out and named in `problems`. */
  policy: MachinePolicy;
  problems: PolicyProblem[];
  source: string | null;
}

/**
 * Validates raw key/values (already typed by the reader: numbers, booleans, arrays). The good
 * keys stay in force; each bad one is named with what it expects. An unknown key is a problem too
 * (a typo in a GPO must not pass unnoticed).
 */
export function validatePolicy(raw: Record<string, unknown>, source: string | null): PolicyResult {
  const problems: PolicyProblem[] = [];
  const kept: Record<string, unknown> = {};
  const shape = PolicyObject.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(raw)) {
    const schema = shape[key];
    if (!schema) {
      problems.push({
        key,
        message: `Stratégie Relais : la clé « ${key} » est inconnue (clés possibles : ${Object.keys(shape).join(', ')}).`,
      });
      continue;
    }
    if (schema.safeParse(value).success) kept[key] = value;
    else problems.push({ key, message: badKeyMessage(key as PolicyKey) });
  }
  const whole = PolicySchema.safeParse(kept);
  if (!whole.success) {
    for (const issue of whole.error.issues) {
      const key = String(issue.path[0] ?? '');
      problems.push({ key, message: badKeyMessage(key as PolicyKey) });
      delete kept[key];
      if (key === 'proxyRules' || key === 'proxyPacUrl') delete kept.proxyMode;
    }
  }
  return { policy: kept as MachinePolicy, problems, source };
}

export function badKeyMessage(key: PolicyKey): string {
  return `Stratégie Relais : la valeur de « ${key} » n'est pas valide ; attendu : ${POLICY_EXPECTED_FR[key] ?? 'une valeur valide'}. Cette clé est ignorée tant qu'elle n'est pas corrigée.`;
}

/** The user settings a policy locks, for the window (« défini par votre administrateur »). */
export function lockedSettings(policy: MachinePolicy): PolicyKey[] {
  return (Object.keys(policy) as PolicyKey[]).filter((k) => policy[k] !== undefined);
}

// The policy in force in this process, set once by the host at start (the core's settings read it).
let installed: PolicyResult = { policy: {}, problems: [], source: null };

export function installMachinePolicy(result: PolicyResult): void {
  installed = result;
}

export function machinePolicy(): PolicyResult {
  return installed;
}
