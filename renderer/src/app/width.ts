import { useEffect, useState, type RefObject } from 'react';

/**
 * The three widths of the window (issue 12): a side panel beside the practice software
 * (< 600 px), a medium window (600–1100 px), a wide one. CSS lays each out with container
 * queries on `.app`; this hook gives the same class to the few components whose structure
 * changes (drawer, tabs), from the same element's width so both always agree.
 */
export type WidthClass = 'panel' | 'medium' | 'wide';

export const PANEL_MAX = 600;
export const MEDIUM_MAX = 1100;

export function widthClassOf(width: number): WidthClass {
  if (width < PANEL_MAX) return 'panel';
  if (width < MEDIUM_MAX) return 'medium';
  return 'wide';
}

export function useWidthClass(ref: RefObject<HTMLElement | null>): WidthClass {
  const [width, setWidth] = useState<WidthClass>(() =>
    typeof window === 'undefined' ? 'wide' : widthClassOf(window.innerWidth),
  );
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined) setWidth(widthClassOf(w));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
