import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, clampToWorkArea, dock, dockBounds, focusPlan, parseWindowState, rememberBounds, restoreBounds, screenKey, type ScreenInfo } from './window-placement';

const laptop: ScreenInfo = { workArea: { x: 0, y: 0, width: 1366, height: 728 } };
const external: ScreenInfo = { workArea: { x: 1366, y: 0, width: 1920, height: 1040 } };

describe('window placement (issue 12, item 2)', () => {
  it('first start: a 420 px panel docked right on the primary screen', () => {
    expect(restoreBounds(DEFAULT_STATE, [laptop], laptop).bounds).toEqual({ x: 946, y: 0, width: 420, height: 728 });
  });

  it('remembers size and position per screen', () => {
    let state = rememberBounds(DEFAULT_STATE, laptop, { x: 100, y: 50, width: 500, height: 600 });
    state = rememberBounds(state, external, { x: 2000, y: 100, width: 800, height: 900 });
    expect(restoreBounds(state, [laptop, external], laptop, screenKey(external)).bounds).toEqual({ x: 2000, y: 100, width: 800, height: 900 });
    // The external screen unplugged: back where it was on the laptop.
    expect(restoreBounds(state, [laptop], laptop, screenKey(external)).bounds).toEqual({ x: 100, y: 50, width: 500, height: 600 });
  });

  it('never restores off screen nor larger than the screen', () => {
    expect(clampToWorkArea({ x: 1300, y: 700, width: 2000, height: 900 }, laptop.workArea)).toEqual({ x: 0, y: 0, width: 1366, height: 728 });
    expect(clampToWorkArea({ x: -500, y: -20, width: 420, height: 500 }, laptop.workArea)).toMatchObject({ x: 0, y: 0 });
  });

  it('docks left or right at panel width on the current screen, and stays docked when the screen grows', () => {
    const right = dock(DEFAULT_STATE, external, 'right');
    expect(right.bounds).toEqual({ x: 1366 + 1920 - 420, y: 0, width: 420, height: 1040 });
    const left = dock(DEFAULT_STATE, laptop, 'left');
    expect(left.bounds).toEqual({ x: 0, y: 0, width: 420, height: 728 });
    const taller: ScreenInfo = { workArea: { ...laptop.workArea, height: 768 } };
    expect(restoreBounds(left.state, [taller], taller, screenKey(laptop)).bounds).toEqual(dockBounds(taller.workArea, 'left'));
  });

  it('a manual move away from the edge undocks', () => {
    const { state } = dock(DEFAULT_STATE, laptop, 'right');
    expect(rememberBounds(state, laptop, dockBounds(laptop.workArea, 'right')).docked).toBe('right');
    expect(rememberBounds(state, laptop, { x: 300, y: 0, width: 420, height: 728 }).docked).toBeNull();
  });

  it('a launch from the LGC comes to front without taking the keyboard, unless the setting says so', () => {
    expect(focusPlan('launch', { visible: false, minimized: false }, false)).toEqual({ restore: false, show: 'showInactive', moveTop: true, focus: false });
    expect(focusPlan('launch', { visible: true, minimized: false }, false)).toEqual({ restore: false, show: 'none', moveTop: true, focus: false });
    expect(focusPlan('launch', { visible: true, minimized: true }, false).show).toBe('showInactive');
    expect(focusPlan('launch', { visible: true, minimized: true }, true)).toEqual({ restore: true, show: 'show', moveTop: false, focus: true });
    expect(focusPlan('user', { visible: false, minimized: false }, false).focus).toBe(true);
  });

  it('a broken state file is the default state, not a crash', () => {
    expect(parseWindowState('{oops')).toEqual(DEFAULT_STATE);
    expect(parseWindowState(JSON.stringify({ docked: 'up', byScreen: { a: { x: 'no' } }, alwaysOnTop: true }))).toEqual({ ...DEFAULT_STATE, alwaysOnTop: true });
  });
});
