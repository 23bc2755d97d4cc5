import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Alert, RelaisClient } from '../../contract';
import { fr } from '../../i18n/fr';
import { fmtStamp } from '../../ui/dates';
import { AlertStripController } from './controller';
import './alerts.css';

const t = fr.safety.alertStrip;

/**
 * Active alerts of the patient on screen, under the identity banner (issue 15): each unhandled
 * alert with its severity, kind, text, author and time, and « Prendre en compte »; the handled
 * ones on one line each, naming who took them into account and when. Nothing when there is none.
 * A role without journal.read-medical receives the alert without its text (core and platform).
 */
export function AlertStrip({ client, patientId, canHandle }: { client: RelaisClient; patientId: string; canHandle: boolean }) {
  const [controller] = useState(() => new AlertStripController(client));
  useEffect(() => controller.connect(), [controller]);
  useEffect(() => controller.follow(patientId), [controller, patientId]);
  const { alerts, handlingId } = useSyncExternalStore(controller.subscribe, controller.getState);
  const shown = alerts.filter((a) => a.patientId === patientId);
  if (shown.length === 0) return null;
  const open = shown.filter((a) => !a.handled);
  const done = shown.filter((a) => a.handled);
  return (
    <section className="alert-strip" aria-label={t.label} data-testid="alert-strip">
      {open.length > 0 && (
        <p className="alert-strip-count" role="status">
          {t.unhandledCount(open.length)}
        </p>
      )}
      <ul className="alert-strip-list">
        {open.map((a) => (
          <li key={a.id} className={`alert-strip-item alert-strip-item--${a.severity ?? 'none'}`} data-testid="active-alert" data-alert-id={a.id}>
            <AlertLine alert={a} />
            {canHandle && (
              <button type="button" className="alert-strip-handle" disabled={handlingId !== null} aria-label={t.handleLabel(kindLabel(a))} onClick={() => void controller.handle(a.id)}>
                {handlingId === a.id ? t.handling : t.handle}
              </button>
            )}
          </li>
        ))}
        {done.map((a) => (
          <li key={a.id} className="alert-strip-item alert-strip-item--handled" data-testid="handled-alert" data-alert-id={a.id}>
            <AlertLine alert={a} />
            <span className="alert-strip-handled">
              {a.handled!.pending ? t.handledPending(fmtStamp(a.handled!.at)) : t.handledBy(a.handled!.by?.name ?? '—', fmtStamp(a.handled!.at))}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const kindLabel = (a: Alert): string => fr.alerts.kinds[a.kind] ?? fr.alerts.kinds.other!;

function AlertLine({ alert }: { alert: Alert }) {
  return (
    <span className="alert-strip-line">
      {alert.severity && <span className={`alert-strip-severity alert-strip-severity--${alert.severity}`}>{t.severity[alert.severity]}</span>}
      <strong className="alert-strip-kind">{kindLabel(alert)}</strong>
      <span className="alert-strip-text">{alert.text ? alert.text : <em className="muted">{t.clinicalHidden}</em>}</span>
      <span className="alert-strip-meta">
        {alert.author ? `${t.by(alert.author.name)} · ` : ''}
        <time dateTime={alert.start}>{fmtStamp(alert.start)}</time>
      </span>
    </span>
  );
}
