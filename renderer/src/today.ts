import { useSyncExternalStore } from 'react';
import { localDayKey } from './format';

/**
 * The current local day (`YYYY-MM-DD`) as an external store, so that « Aujourd'hui » / « Hier »
 * and ages roll over at midnight without components calling Date during render.
 */
let currentDay = localDayKey(new Date());
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function tick(): void {
  const day = localDayKey(new Date());
  if (day === currentDay) return;
  currentDay = day;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(tick, 30_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useToday(): string {
  return useSyncExternalStore(subscribe, () => currentDay);
}
