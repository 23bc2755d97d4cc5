import { createContext, useContext, useEffect, useRef } from 'react';

/**
 * True while the chart on screen is held after a refused or held launch (issue 15). Provided by
 * the window around the chart and its dialogs; the top bar's sheets are outside it.
 */
export const ChartHeldContext = createContext(false);

/**
 * Closes a dialog of the chart as soon as the chart is held: a modal left open would otherwise sit
 * on top of « Ce dossier n'est pas celui affiché par votre logiciel » and hide it. `close` must
 * keep what was typed where the dialog has a draft (the ordonnance saves its own before closing).
 * Called once per hold (not on every render), so an async close is not run twice.
 */
export function useCloseWhenChartHeld(open: boolean, close: () => void): void {
  const held = useContext(ChartHeldContext);
  const closeRef = useRef(close);
  useEffect(() => {
    closeRef.current = close;
  });
  useEffect(() => {
    if (held && open) closeRef.current();
  }, [held, open]);
}
