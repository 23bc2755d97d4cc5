/**
 * What `relais launch` prints, in one place for its three implementations: the forwarding bundle
 * (main/cli/forward.ts), the full CLI (main/cli/relais-cli.ts) and the native launcher
 * (launcher/, which gets these strings through scripts/build-launcher.ts). `{host}` and
 * `{status}` are filled in by each.
 */
export const CLI_TEXT_FR = {
  usage: `Usage :
  relais launch "relais://patient/open?ins=…&oid=…&birthName=…&firstNames=…&birthDate=AAAA-MM-JJ&sex=F|M|U&birthPlace=…"
  relais launch --ins … --oid … --birth-name … --first-names … --birth-date … --sex … [--birth-place …]
  relais bdpm import <dossier ou fichier .zip de la BDPM>   (administrateur du poste)`,
  opened: 'Patient ouvert dans Relais ({host}).',
  refused: "Relais a refusé l'ouverture (HTTP {status}).",
  notStarted: "Relais n'est pas démarré sur ce poste : lancez-le puis recommencez.",
  notAnswering: 'Relais ne répond pas (il a peut-être été fermé) : relancez-le puis recommencez.',
  starting: 'Relais démarre et ouvrira le patient.',
  field: ' (champ : {field})',
  errorLine: 'Erreur {code}{field} : {message}',
} as const;

export function cliText(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
