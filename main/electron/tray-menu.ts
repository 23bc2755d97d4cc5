/**
 * The tray menu as data (labels in French), rebuilt by the shell whenever its state changes:
 * open, the current patient, unread alerts, pending outbox items, lock, sign out, quit
 * (issue 16 item 2, issue 12 item 5). Electron-free so a test can read it.
 */
export type TrayAction = 'open' | 'patient' | 'lock' | 'sign-out' | 'dock-right' | 'dock-left' | 'always-on-top' | 'start-at-login' | 'update' | 'diagnostic' | 'quit';

export interface TrayItem {
  id: TrayAction | 'info';
  label: string;
  enabled?: boolean;
  checked?: boolean;
  separatorBefore?: boolean;
}

export interface TrayState {
  signedIn: boolean;
  /** « M. DUPONT Jean », as the identity banner names the patient; null when none is open. */
  patient: string | null;
  unread: number;
  pendingOutbox: number;
  alwaysOnTop: boolean;
  /** null: the machine policy decides, the user cannot change it. */
  startAtLogin: boolean | null;
  updateReady: string | null;
}

export const INITIAL_TRAY_STATE: TrayState = { signedIn: false, patient: null, unread: 0, pendingOutbox: 0, alwaysOnTop: false, startAtLogin: false, updateReady: null };

function plural(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

export function trayItems(s: TrayState): TrayItem[] {
  const items: TrayItem[] = [{ id: 'open', label: 'Ouvrir Relais' }];
  if (s.signedIn) {
    items.push({ id: 'patient', label: s.patient ? `Patient : ${s.patient}` : 'Aucun patient ouvert', enabled: s.patient !== null });
    items.push({ id: 'info', label: s.unread > 0 ? plural(s.unread, 'alerte non traitée', 'alertes non traitées') : 'Aucune alerte non traitée', enabled: false });
    items.push({ id: 'info', label: s.pendingOutbox > 0 ? plural(s.pendingOutbox, 'envoi en attente', 'envois en attente') : 'Aucun envoi en attente', enabled: false });
  }
  items.push({ id: 'dock-right', label: 'Ancrer à droite', separatorBefore: true });
  items.push({ id: 'dock-left', label: 'Ancrer à gauche' });
  items.push({ id: 'always-on-top', label: 'Toujours au premier plan', checked: s.alwaysOnTop });
  if (s.startAtLogin !== null) items.push({ id: 'start-at-login', label: "Démarrer avec la session", checked: s.startAtLogin });
  if (s.updateReady) items.push({ id: 'update', label: `Redémarrer pour mettre à jour (${s.updateReady})`, separatorBefore: true });
  items.push({ id: 'diagnostic', label: 'Exporter un diagnostic…', separatorBefore: !s.updateReady });
  if (s.signedIn) {
    items.push({ id: 'lock', label: 'Verrouiller', separatorBefore: true });
    items.push({ id: 'sign-out', label: 'Se déconnecter' });
  }
  items.push({ id: 'quit', label: 'Quitter Relais', separatorBefore: !s.signedIn });
  return items;
}

/** The tooltip: the unread count and pending sends at a glance. */
export function trayTooltip(s: TrayState): string {
  const parts = [s.unread > 0 ? plural(s.unread, 'alerte', 'alertes') : null, s.pendingOutbox > 0 ? plural(s.pendingOutbox, 'envoi en attente', 'envois en attente') : null].filter(Boolean);
  return parts.length ? `Relais — ${parts.join(', ')}` : 'Relais';
}
