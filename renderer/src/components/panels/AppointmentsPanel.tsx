import type { Appointment } from '../../contract';
import { fr } from '../../i18n/fr';
import { fmtApptDay, fmtTime } from './dates';
import { Panel } from './Panel';

const t = fr.panels.appointments;

export function AppointmentsPanel({ appointments, hidden }: { appointments: Appointment[]; hidden?: boolean }) {
  return (
    <Panel id="appointments" title={t.title} count={appointments.length} hidden={hidden}>
      {appointments.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {appointments.map((a) => (
            <li key={a.id} className="appointment">
              <time className="appointment-when" dateTime={a.start}>
                <span>{fmtApptDay(a.start)}</span>
                <span className="appointment-time">{fmtTime(a.start)}</span>
              </time>
              <span className="appointment-what">
                <span>{a.description}</span>
                <span className="panel-meta">
                  {[a.professional ? t.with(a.professional.name, a.professional.roleLabel) : null, a.location].filter(Boolean).join(' · ')}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
