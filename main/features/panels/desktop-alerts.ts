import type { Alert, LaunchContext, Patient, RelaisEvent } from '../../../contract';

/**
 * What a desktop shell does with alerts, without Electron: the notification's text, the tray
 * tooltip / badge, and what a click does. main/electron/main.ts plugs Electron's Notification,
 * Tray and app.setBadgeCount into it; tests plug fakes.
 */

const KIND_TITLE: Record<Alert['kind'], string> = {
  degradation: 'Dégradation',
  'non-observance': 'Non-observance',
  hospitalisation: 'Hospitalisation',
  'new-document': 'Nouveau document',
  other: 'Alerte',
};

/** « M. LAMBERT Jean » — the birth name in capitals, as the identity banner shows it. */
export function patientLabel(p: Patient): string {
  const civ = p.sex === 'F' ? 'Mme' : p.sex === 'M' ? 'M.' : '';
  const used = p.usedName && p.usedName !== p.birthName ? ` (${p.usedName})` : '';
  return `${civ} ${p.birthName}${used} ${p.firstNames[0] ?? ''}`.trim();
}

export function alertNotification(patient: Patient, alert: Alert): { title: string; body: string } {
  return {
    title: `${KIND_TITLE[alert.kind]} — ${patientLabel(patient)}`,
    body: `${alert.text}${alert.author ? `\n${alert.author.name} (${alert.author.roleLabel})` : ''}\nNé(e) le ${frDate(patient.birthDate)}`,
  };
}

export function trayTooltip(unacknowledged: number): string {
  if (unacknowledged <= 0) return 'Relais';
  return unacknowledged === 1 ? 'Relais — 1 alerte à prendre en compte' : `Relais — ${unacknowledged} alertes à prendre en compte`;
}

/** The launch context that reopens a patient from its own traits (null without an INS). */
export function launchContextOfPatient(p: Patient): LaunchContext | null {
  if (!p.ins) return null;
  return {
    ins: { value: p.ins.value, oid: p.ins.oid },
    birthName: p.birthName,
    firstNames: [...p.firstNames],
    birthDate: p.birthDate,
    sex: p.sex,
    ...(p.birthPlace ? { birthPlace: p.birthPlace } : {}),
  };
}

function frDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

export interface DesktopAlertsHost {
  notify(content: { title: string; body: string }, onClick: () => void): void;
  setUnacknowledged(count: number, tooltip: string): void;
  showWindow(): void;
  openPatient(context: LaunchContext): Promise<unknown>;
}

/** The tray / badge shows the number of UNHANDLED alerts. Subscribe with `core.events.subscribe(desktopAlerts(host, () => core.alerts.unacknowledged()))`. */
export function desktopAlerts(host: DesktopAlertsHost, unacknowledged: () => number): (event: RelaisEvent) => void {
  const refresh = (count: number): void => host.setUnacknowledged(count, trayTooltip(count));
  refresh(unacknowledged());
  return (event) => {
    if (event.type === 'alert-raised') {
      refresh(event.unacknowledged);
      host.notify(alertNotification(event.patient, event.alert), () => {
        host.showWindow();
        const context = launchContextOfPatient(event.patient);
        if (context) void host.openPatient(context).catch(() => undefined);
      });
    } else if (event.type === 'alert-handled') {
      // Issue 15: the count is of alerts nobody took into account; opening a patient changes nothing.
      refresh(event.unacknowledged);
    }
  };
}
