import type { Page } from 'playwright-core';

/** The widths a GP's window has (issue 12): the side panel beside the practice software, a medium window, a laptop screen. */
export const WIDTHS = [
  { name: '400', width: 400, height: 800 },
  { name: '800', width: 800, height: 800 },
  { name: '1366', width: 1366, height: 768 },
] as const;

/**
 * What scrolls sideways: the page itself, and any element that scrolls (or would) horizontally.
 * A string, not a function: tsx's name-keeping helpers do not exist in the page.
 */
export async function horizontalOverflow(page: Page): Promise<{ page: { scrollWidth: number; innerWidth: number }; elements: string[] }> {
  return (await page.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      if (!['auto', 'scroll'].includes(style.overflowX)) continue;
      if (el.clientWidth === 0) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push((el.getAttribute('data-testid') || el.className || el.tagName) + ' ' + el.scrollWidth + '>' + el.clientWidth);
    }
    return { page: { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }, elements: out };
  })()`)) as { page: { scrollWidth: number; innerWidth: number }; elements: string[] };
}

/**
 * Whether the element matched by `selector` is inside the viewport and on top at its centre and
 * near its left edge (nothing drawn over it): `elementFromPoint` lands on it or inside it.
 */
export async function visibleAndUncovered(page: Page, selector: string): Promise<{ inViewport: boolean; uncovered: boolean; rect: unknown }> {
  return (await page.evaluate(`((sel) => {
    const el = document.querySelector(sel);
    if (!el) return { inViewport: false, uncovered: false, rect: null };
    const r = el.getBoundingClientRect();
    const inViewport = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
    const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + Math.min(4, r.width / 2), r.top + r.height / 2]];
    const uncovered = points.every(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === el || el.contains(hit));
    });
    return { inViewport, uncovered, rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
  })(${JSON.stringify(selector)})`)) as { inViewport: boolean; uncovered: boolean; rect: unknown };
}
