import { useSyncExternalStore } from 'react';
import type { StaysController } from './controller';
import { StaysPanel } from './StaysPanel';
import './hospital-stay.css';

/** One-line plug into the patient view (like features/support-request/SupportSlot.tsx). */
let registered: StaysController | null = null;
export function registerStays(controller: StaysController): void {
  registered = controller;
}

const none = () => () => {};
export function StaysSlot({ hidden = false }: { hidden?: boolean }) {
  const c = registered;
  const s = useSyncExternalStore(c?.subscribe ?? none, c?.getState ?? (() => null));
  if (!c || !s || !s.patientId) return null;
  return <StaysPanel s={s} c={c} hidden={hidden} />;
}
