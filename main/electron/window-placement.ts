/**
 * Where the window goes (issue 12, item 2), without Electron: remembered size and position per
 * screen, docking to a screen edge at panel width, and how a launch from the practice software
 * brings the window forward without taking the keyboard from the LGC's consultation form.
 * main/electron/window.ts applies these decisions; window-placement.test.ts proves them.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ScreenInfo {
  /** Electron's display id changes across reboots and docks: the key below uses the geometry. */
  workArea: Rect;
  scaleFactor?: number;
}

export type DockSide = 'left' | 'right';

export interface WindowState {
  /** Last bounds the user left on each screen, by screenKey. */
  byScreen: Record<string, Rect>;
  docked: DockSide | null;
  alwaysOnTop: boolean;
  /** The first time the window is closed to the tray, Relais says so once. */
  trayNoticeShown: boolean;
  /** The screen the window was last on (its bounds are tried first at start). */
  lastScreen: string | null;
}

export const PANEL_WIDTH = 420;
export const MIN_WIDTH = 360;
export const MIN_HEIGHT = 480;
export const DEFAULT_STATE: WindowState = { byScreen: {}, docked: null, alwaysOnTop: false, trayNoticeShown: false, lastScreen: null };

export function screenKey(screen: ScreenInfo): string {
  const a = screen.workArea;
  return `${a.x},${a.y},${a.width}x${a.height}@${screen.scaleFactor ?? 1}`;
}

function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Fits a rectangle inside a work area: never larger, never off screen. */
export function clampToWorkArea(r: Rect, area: Rect): Rect {
  const width = Math.max(Math.min(r.width, area.width), Math.min(MIN_WIDTH, area.width));
  const height = Math.max(Math.min(r.height, area.height), Math.min(MIN_HEIGHT, area.height));
  const x = Math.min(Math.max(r.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(r.y, area.y), area.y + area.height - height);
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

/** The panel at a screen edge: full work-area height, PANEL_WIDTH wide. */
export function dockBounds(area: Rect, side: DockSide, width = PANEL_WIDTH): Rect {
  const w = Math.min(width, area.width);
  return { x: side === 'right' ? area.x + area.width - w : area.x, y: area.y, width: w, height: area.height };
}

/** A first start: a panel docked on the right of the primary screen (beside the LGC). */
export function defaultBounds(primary: ScreenInfo): Rect {
  return dockBounds(primary.workArea, 'right');
}

/**
 * Bounds at start: the bounds saved for a screen that is still connected (the last one the
 * window was on first), clamped into it; docked windows re-dock to the edge of that screen (its
 * height may have changed); otherwise the default on the primary screen.
 */
export function restoreBounds(state: WindowState, screens: readonly ScreenInfo[], primary: ScreenInfo, lastScreen?: string): { bounds: Rect; screen: ScreenInfo } {
  const connected = new Map(screens.map((s) => [screenKey(s), s]));
  const order = [lastScreen ?? state.lastScreen, ...Object.keys(state.byScreen)].filter((k): k is string => Boolean(k));
  for (const key of order) {
    const screen = connected.get(key);
    const saved = state.byScreen[key];
    if (!screen || !saved) continue;
    if (state.docked) return { bounds: dockBounds(screen.workArea, state.docked, saved.width), screen };
    if (intersects(saved, screen.workArea)) return { bounds: clampToWorkArea(saved, screen.workArea), screen };
  }
  return { bounds: state.docked ? dockBounds(primary.workArea, state.docked) : defaultBounds(primary), screen: primary };
}

/** Remembers where the user left the window on this screen. A manual move off an edge undocks. */
export function rememberBounds(state: WindowState, screen: ScreenInfo, bounds: Rect): WindowState {
  const docked = state.docked && sameRect(bounds, dockBounds(screen.workArea, state.docked, bounds.width)) ? state.docked : null;
  return { ...state, docked, lastScreen: screenKey(screen), byScreen: { ...state.byScreen, [screenKey(screen)]: { ...bounds } } };
}

/** « Ancrer à droite / à gauche »: docks on the window's current screen, and remembers it. */
export function dock(state: WindowState, screen: ScreenInfo, side: DockSide): { state: WindowState; bounds: Rect } {
  const bounds = dockBounds(screen.workArea, side);
  return { bounds, state: { ...state, docked: side, lastScreen: screenKey(screen), byScreen: { ...state.byScreen, [screenKey(screen)]: bounds } } };
}

function sameRect(a: Rect, b: Rect): boolean {
  return Math.abs(a.x - b.x) <= 2 && Math.abs(a.y - b.y) <= 2 && Math.abs(a.width - b.width) <= 2 && Math.abs(a.height - b.height) <= 2;
}

export interface FocusPlan {
  restore: boolean;
  /** show() takes the keyboard; showInactive() shows without activating. */
  show: 'show' | 'showInactive' | 'none';
  moveTop: boolean;
  focus: boolean;
}

/**
 * A launch from the practice software: the GP is typing in the LGC's consultation form. The
 * window comes to the front (moveTop) without activation, unless the setting says to take the
 * focus. A click in the tray or the notification is the user asking for Relais: full focus.
 */
export function focusPlan(reason: 'launch' | 'user', window: { visible: boolean; minimized: boolean }, focusOnLaunch: boolean): FocusPlan {
  const takeFocus = reason === 'user' || focusOnLaunch;
  if (takeFocus) return { restore: window.minimized, show: 'show', moveTop: false, focus: true };
  // A minimized window cannot be restored without activation on Windows: showInactive puts it back.
  return { restore: false, show: window.visible && !window.minimized ? 'none' : 'showInactive', moveTop: true, focus: false };
}

/** Parses a saved state file, tolerating garbage (a broken file is the default, the window must open). */
export function parseWindowState(text: string | null): WindowState {
  if (!text) return { ...DEFAULT_STATE };
  try {
    const v = JSON.parse(text) as Partial<WindowState>;
    const byScreen: Record<string, Rect> = {};
    for (const [k, r] of Object.entries(v.byScreen ?? {})) {
      if (r && [r.x, r.y, r.width, r.height].every((n) => Number.isFinite(n))) byScreen[k] = { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return {
      byScreen,
      docked: v.docked === 'left' || v.docked === 'right' ? v.docked : null,
      alwaysOnTop: v.alwaysOnTop === true,
      trayNoticeShown: v.trayNoticeShown === true,
      lastScreen: typeof v.lastScreen === 'string' ? v.lastScreen : null,
    };
  } catch {
    return { ...DEFAULT_STATE };
  }
}
