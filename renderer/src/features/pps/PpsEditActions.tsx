import { useSyncExternalStore } from 'react';
import type { CareTeamMember, Pps } from '../../contract';
import { fr } from '../../i18n/fr';
import type { PpsEditController } from './controller';
import { PpsEditDialog } from './PpsEditDialog';

const t = fr.ppsEdit;

/** The PPS panel's « Modifier le PPS » button, the sending / refused notices and the form. */
export function PpsEditActions({ pps, controller, careTeam }: { pps: Pps; controller: PpsEditController; careTeam: readonly CareTeamMember[] }) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  return (
    <>
      <div className="pps-edit-bar">
        <button type="button" className="button button-small" onClick={() => controller.open(pps)} disabled={state.pendingItemId !== null} data-testid="pps-edit">
          {t.open}
        </button>
        {state.pendingItemId && (
          <span className="panels-status" role="status" data-testid="pps-edit-pending">
            {t.pending}
          </span>
        )}
      </div>
      {state.recovered && (
        <div className="pps-conflict" role="alert" data-testid="pps-conflict">
          <p>
            <strong>{t.conflictTitle}</strong>
          </p>
          <p>{t.conflictBody}</p>
          <div className="pps-edit-actions">
            <button type="button" className="button button-quiet button-small" onClick={controller.discard}>
              {t.discard}
            </button>
            <button type="button" className="button button-small" onClick={() => void controller.resume()} data-testid="pps-resume">
              {t.resume}
            </button>
          </div>
        </div>
      )}
      <PpsEditDialog controller={controller} careTeam={careTeam} />
    </>
  );
}
