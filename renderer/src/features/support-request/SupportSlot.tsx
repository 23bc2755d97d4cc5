import { useSyncExternalStore } from 'react';
import type { SupportRequestController } from './controller';
import { SupportRequestDialog } from './SupportRequestDialog';
import { SupportRequestsPanel } from './SupportRequestsPanel';
import './support-request.css';

/**
 * Where the support-cell feature plugs into the patient view with one line each (issue 13:
 * other work rebuilds the layout in parallel): main.tsx registers the controller, the panels
 * column renders <SupportSlot />, which shows the « Demandes d'appui » panel and its dialog.
 */
let registered: SupportRequestController | null = null;
export function registerSupportRequests(controller: SupportRequestController): void {
  registered = controller;
}

const none = () => () => {};
export function SupportSlot({ hidden = false }: { hidden?: boolean }) {
  const c = registered;
  const s = useSyncExternalStore(c?.subscribe ?? none, c?.getState ?? (() => null));
  if (!c || !s || !s.patientId) return null;
  return (
    <>
      <SupportRequestsPanel list={s.list} error={s.listError} onRequest={c.canRequest() ? c.openDialog : null} hidden={hidden} />
      <SupportRequestDialog
        open={s.open}
        context={s.context}
        canWriteMedical={c.canWriteMedical()}
        onBehalf={c.actsOnBehalf()}
        submitting={s.submitting}
        error={s.error}
        onSubmit={c.submit}
        onClose={c.close}
      />
    </>
  );
}
