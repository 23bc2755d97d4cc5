import { useSyncExternalStore } from 'react';
import type { CareTeamMember } from '../../contract';
import type { ReferralController } from './controller';
import { ReferralDialog } from './ReferralDialog';
import { ReferralsPanel } from './ReferralsPanel';

/** The « Adressages » panel driven by its controller (its own component: PanelsColumn keeps its hooks fixed). */
export function ReferralsPanelHost({ controller, hidden }: { controller: ReferralController; hidden?: boolean }) {
  const s = useSyncExternalStore(controller.subscribe, controller.getState);
  return <ReferralsPanel list={s.list} error={s.listError} onRefer={controller.canRefer() ? controller.openDialog : null} hidden={hidden} />;
}

/** The referral dialog driven by its controller (mounted once, beside the panels). */
export function ReferralDialogHost({ controller, careTeam }: { controller: ReferralController; careTeam: readonly CareTeamMember[] }) {
  const s = useSyncExternalStore(controller.subscribe, controller.getState);
  return (
    <ReferralDialog
      open={s.open}
      careTeam={careTeam}
      recipients={s.recipients}
      canWriteClinical={controller.canWriteClinical()}
      submitting={s.submitting}
      error={s.error}
      onSubmit={controller.submit}
      onClose={controller.close}
      initial={s.editing?.form ?? null}
    />
  );
}
