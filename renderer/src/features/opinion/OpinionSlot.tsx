import { useSyncExternalStore } from 'react';
import type { OpinionController } from './controller';
import { OpinionDialog } from './OpinionDialog';
import { OpinionsPanel } from './OpinionsPanel';
import './opinion.css';

/**
 * Where the opinion feature plugs into the patient view with one line each, like SupportSlot:
 * main.tsx registers the controller, the panels column renders <OpinionSlot />. Only for who may
 * ask (GP, nurse): the question and the photos are medical content.
 */
let registered: OpinionController | null = null;
export function registerOpinions(controller: OpinionController): void {
  registered = controller;
}

const none = () => () => {};
export function OpinionSlot({ hidden = false }: { hidden?: boolean }) {
  const c = registered;
  const s = useSyncExternalStore(c?.subscribe ?? none, c?.getState ?? (() => null));
  if (!c || !s || !s.patientId || !c.canAsk()) return null;
  return (
    <>
      <OpinionsPanel list={s.list} error={s.listError} onRequest={c.openDialog} hidden={hidden} />
      <OpinionDialog open={s.open} referents={s.referents} submitting={s.submitting} error={s.error} onSubmit={c.submit} onClose={c.close} />
    </>
  );
}
