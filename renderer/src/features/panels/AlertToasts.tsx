import { useSyncExternalStore } from 'react';
import type { Patient } from '../../contract';
import { formatBirthDate } from '../../format';
import { fr } from '../../i18n/fr';
import type { PanelsController } from './controller';

export function patientShortName(p: Patient): string {
  const civ = p.sex === 'F' ? 'Mme' : p.sex === 'M' ? 'M.' : '';
  return `${civ} ${p.birthName} ${p.firstNames[0] ?? ''}`.trim();
}

/**
 * New alerts inside Relais (when OS notifications are not allowed or not available), and the
 * button that asks the browser for permission — on a click, as browsers require.
 */
export function NotificationsButton({ controller }: { controller: PanelsController }) {
  const { alerts } = useSyncExternalStore(controller.subscribe, controller.getState);
  if (alerts.permission !== 'default') return null;
  return (
    <button type="button" className="button button-small alerts-enable" title={fr.alerts.enableTitle} onClick={() => void controller.enableNotifications()}>
      {fr.alerts.enable}
    </button>
  );
}

/** `floatingEnable`: also offer the permission here (no patient open, so no panels bar to hold it). */
export function AlertToasts({ controller, floatingEnable = false }: { controller: PanelsController; floatingEnable?: boolean }) {
  const { alerts } = useSyncExternalStore(controller.subscribe, controller.getState);
  return (
    <div className="alerts-area">
      {floatingEnable && <NotificationsButton controller={controller} />}
      <section className="toasts" aria-label={fr.alerts.toastsLabel} aria-live="assertive">
        {alerts.toasts.map(({ key, patient, alert }) => {
          const name = patientShortName(patient);
          return (
            <div key={key} className={`toast toast--${alert.kind}`} role="alert" data-testid="alert-toast" data-patient-id={patient.id}>
              <p className="toast-title">
                <span className="toast-kind">{fr.alerts.kinds[alert.kind]}</span> — <strong>{name}</strong>{' '}
                <span className="toast-born">{fr.alerts.bornOn(formatBirthDate(patient.birthDate))}</span>
              </p>
              <p className="toast-text">{alert.text}</p>
              {alert.author && (
                <p className="toast-author">
                  {alert.author.name}, {alert.author.roleLabel}
                </p>
              )}
              <div className="toast-actions">
                <button type="button" className="button button-small" aria-label={fr.alerts.openLabel(name)} onClick={() => void controller.openAlert(patient, key)}>
                  {fr.alerts.open}
                </button>
                <button type="button" className="button button-small button-quiet" aria-label={fr.alerts.dismissLabel(name)} onClick={() => controller.dismissToast(key)}>
                  {fr.alerts.dismiss}
                </button>
              </div>
            </div>
          );
        })}
      </section>
    </div>
  );
}
