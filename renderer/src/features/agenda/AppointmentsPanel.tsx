import type { Appointment } from '../../contract';
import { errorMessage, fr } from '../../i18n/fr';
import { fmtApptDay, fmtTime } from '../../ui/dates';
import { Panel } from '../../ui/Panel';

const t = fr.panels.appointments;
const ta = fr.agenda;

/** What the agenda actions need (features/agenda/controller.ts); absent: a read-only agenda. */
export interface AppointmentActions {
  onBook: () => void;
  onMove: (a: Appointment) => void;
  onCancel: (a: Appointment) => void;
  onResume: (a: Appointment) => void;
  onDismiss: (a: Appointment) => void;
}

function changeText(a: Appointment): string | null {
  const c = a.change;
  if (!c) return null;
  if (c.state === 'failed') return c.error?.code === 'CONFLICT' ? ta.failed.conflict : ta.failed.other(c.error ? errorMessage(c.error.code) : '');
  if (c.action === 'book') return ta.pending.book;
  if (c.action === 'reschedule' && c.requested.start) return ta.pending.reschedule(`${fmtApptDay(c.requested.start)} ${fmtTime(c.requested.start)}`);
  return ta.pending.cancel;
}

export function AppointmentsPanel({ appointments, hidden, actions }: { appointments: Appointment[]; hidden?: boolean; actions?: AppointmentActions | null }) {
  return (
    <Panel id="appointments" title={t.title} count={appointments.length} hidden={hidden}>
      {actions && (
        <div className="panel-actions">
          <button type="button" className="button button-small" onClick={actions.onBook} data-testid="appointment-book">
            {ta.book}
          </button>
        </div>
      )}
      {appointments.length === 0 ? (
        <p className="panel-empty">{t.empty}</p>
      ) : (
        <ul className="panel-list">
          {appointments.map((a) => {
            const change = changeText(a);
            const when = `${fmtApptDay(a.start)} ${fmtTime(a.start)}`;
            const onPlatform = !a.id.startsWith('local-') && !!a.version;
            const busy = a.change?.state === 'pending';
            return (
              <li key={a.id} className={`appointment${a.change ? ` appointment--${a.change.state}` : ''}`} data-testid="appointment" data-change={a.change ? `${a.change.action}-${a.change.state}` : undefined}>
                <time className="appointment-when" dateTime={a.start}>
                  <span>{fmtApptDay(a.start)}</span>
                  <span className="appointment-time">{fmtTime(a.start)}</span>
                </time>
                <span className="appointment-what">
                  <span>{a.description}</span>
                  <span className="panel-meta">
                    {[a.professional ? t.with(a.professional.name, a.professional.roleLabel) : null, a.location].filter(Boolean).join(' · ')}
                  </span>
                  {change && (
                    <span className={`appointment-change appointment-change--${a.change!.state}`} role={a.change!.state === 'failed' ? 'alert' : undefined}>
                      {change}
                    </span>
                  )}
                  {actions && a.change?.state === 'failed' && (
                    <span className="appointment-actions">
                      <button type="button" className="button button-small" onClick={() => actions.onResume(a)}>
                        {ta.resume}
                      </button>
                      <button type="button" className="button button-small button-quiet" onClick={() => actions.onDismiss(a)}>
                        {ta.dismiss}
                      </button>
                    </span>
                  )}
                  {actions && onPlatform && !busy && a.change?.state !== 'failed' && (
                    <span className="appointment-actions">
                      <button type="button" className="button button-small button-quiet" aria-label={ta.moveLabel(a.description, when)} onClick={() => actions.onMove(a)}>
                        {ta.move}
                      </button>
                      <button type="button" className="button button-small button-quiet" aria-label={ta.cancelLabel(a.description, when)} onClick={() => actions.onCancel(a)}>
                        {ta.cancel}
                      </button>
                    </span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
