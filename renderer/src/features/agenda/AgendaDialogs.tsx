import { useSyncExternalStore } from 'react';
import type { CareTeamMember } from '../../contract';
import type { AgendaController } from './controller';
import { AdmissionDialog } from './AdmissionDialog';
import { AdmissionChangeDialog } from './AdmissionChangeDialog';
import { AppointmentDialog } from './AppointmentDialog';
import { CancelAppointmentDialog } from './CancelAppointmentDialog';

/** The agenda's dialogs (one open at a time), driven by the agenda controller. */
export function AgendaDialogs({ agenda, careTeam }: { agenda: AgendaController; careTeam: readonly CareTeamMember[] }) {
  const s = useSyncExternalStore(agenda.subscribe, agenda.getState);
  const d = s.dialog;
  return (
    <>
      <AppointmentDialog
        dialog={d?.kind === 'book' || d?.kind === 'reschedule' ? d : null}
        careTeam={careTeam}
        submitting={s.submitting}
        error={s.error}
        onBook={agenda.book}
        onReschedule={agenda.reschedule}
        onClose={agenda.close}
      />
      <CancelAppointmentDialog
        appointment={d?.kind === 'cancel' ? d.appointment : null}
        submitting={s.submitting}
        error={s.error}
        onCancel={agenda.cancel}
        onClose={agenda.close}
      />
      <AdmissionChangeDialog
        change={d?.kind === 'admission-change' ? { action: d.action, admission: d.admission } : null}
        submitting={s.submitting}
        error={s.error}
        onSubmit={agenda.changeAdmission}
        onClose={agenda.close}
      />
      <AdmissionDialog
        open={d?.kind === 'admission'}
        establishments={s.establishments}
        canWriteClinical={agenda.can('journal.read-medical')}
        submitting={s.submitting}
        error={s.error}
        onSubmit={agenda.requestAdmission}
        onClose={agenda.close}
        initial={d?.kind === 'admission' ? (d.initial ?? null) : null}
      />
    </>
  );
}
