import { execFile } from 'node:child_process';
import { normalize } from 'node:path';
import type { MachinePolicy } from '../../config/policy';

/**
 * Windows publisher check of a downloaded update (issue 16, item 1), plain Node so it is tested
 * without Windows: the installer's Authenticode signature must be valid and its signer must be
 * one of the expected publishers. Unlike electron-updater's built-in check, which lets the update
 * through when PowerShell fails, this one refuses whatever it cannot verify. The expected names
 * come from the machine policy (`updatePublisherName`, for an IT person who re-signs) or else
 * from app-update.yml (electron-builder.yml `win.signtoolOptions.publisherName`).
 */

/** What `Get-AuthenticodeSignature -LiteralPath … | ConvertTo-Json -Compress` prints (the fields we read). */
export interface AuthenticodeSignature {
  /** 0 = Valid (System.Management.Automation.SignatureStatus). */
  Status: number;
  StatusMessage?: string;
  Path?: string;
  SignerCertificate?: { Subject?: string } | null;
}

export function expectedPublishers(policy: MachinePolicy, fromAppUpdateYml: readonly string[]): string[] {
  const fromPolicy = policy.updatePublisherName?.split(';').map((n) => n.trim()).filter(Boolean) ?? [];
  return fromPolicy.length ? fromPolicy : [...fromAppUpdateYml];
}

/** RFC 2253-style distinguished name as Windows prints it: `CN=Relais, O="A, B", C=FR`. */
export function parseDn(dn: string): Map<string, string> {
  const out = new Map<string, string>();
  let key = '';
  let value = '';
  let inKey = true;
  let quoted = false;
  const flush = () => {
    if (key.trim()) out.set(key.trim().toUpperCase(), value.trim());
    key = '';
    value = '';
    inKey = true;
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      if (inKey) key += dn[++i];
      else value += dn[++i];
    } else if (c === '"' && !inKey) quoted = !quoted;
    else if (inKey && c === '=') inKey = false;
    else if (!quoted && (c === ',' || c === ';' || c === '+')) flush();
    else if (inKey) key += c;
    else value += c;
  }
  flush();
  return out;
}

/** null: signed by an expected publisher; else why the update is refused (the word « signature » marks it refused). */
export function publisherVerdict(expected: readonly string[], signature: AuthenticodeSignature | null, file: string): string | null {
  if (expected.length === 0) return 'signature: no expected publisher configured';
  if (!signature) return 'signature: could not be read';
  if (signature.Status !== 0) return `signature: not valid (${signature.StatusMessage ?? `status ${signature.Status}`})`;
  if (signature.Path && normalize(signature.Path) !== normalize(file)) return 'signature: checked another file';
  const subject = parseDn(signature.SignerCertificate?.Subject ?? '');
  const cn = subject.get('CN');
  for (const name of expected) {
    const dn = parseDn(name);
    const full = name.includes('=');
    if (full && dn.size > 0 && [...dn].every(([k, v]) => subject.get(k) === v)) return null;
    if (!full && cn !== undefined && name.trim() === cn) return null;
  }
  return `signature: publisher « ${cn ?? '?'} » is not one of ${expected.join(' | ')}`;
}

function powershellSignature(file: string): Promise<string> {
  // Single quotes doubled: the path cannot break out of the PowerShell literal.
  const literal = file.replace(/'/g, "''");
  return new Promise((resolve, reject) => {
    execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-InputFormat', 'None', '-Command', `Get-AuthenticodeSignature -LiteralPath '${literal}' | ConvertTo-Json -Compress -Depth 3`],
      { timeout: 20_000, windowsHide: true },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/**
 * electron-updater's `verifyUpdateCodeSignature` hook: `(publisherNames, path) => Promise<string | null>`
 * (null = accepted). `publisherNames` is what app-update.yml says; the policy may replace it.
 */
export function authenticodeVerifier(
  policy: MachinePolicy,
  read: (file: string) => Promise<string> = powershellSignature,
): (publisherNames: string[], file: string) => Promise<string | null> {
  return async (publisherNames, file) => {
    let signature: AuthenticodeSignature | null;
    try {
      signature = JSON.parse(await read(file)) as AuthenticodeSignature;
    } catch {
      signature = null;
    }
    return publisherVerdict(expectedPublishers(policy, publisherNames), signature, file);
  };
}
