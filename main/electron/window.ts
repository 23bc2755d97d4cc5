import { BrowserWindow, screen, type Rectangle } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logging/logger';
import { isAllowedNavigation } from './sender-check';
import { APP_ENTRY, MEDIA_SCHEME, mainWindowOptions } from './window-options';
import { dock, focusPlan, parseWindowState, rememberBounds, restoreBounds, type DockSide, type ScreenInfo, type WindowState } from './window-placement';

/**
 * The one window: placement remembered per screen (window-placement.ts), docking, always on
 * top, attachments downloaded rather than navigated to, and closing keeps Relais in the tray.
 */
export interface MainWindowOptions {
  preload: string;
  dataDir: string;
  focusOnLaunch: () => boolean;
  /** true while quitting (tray « Quitter », OS logoff): the close then really closes. */
  quitting: () => boolean;
  onSessionEnd: () => void;
  onFirstCloseToTray: () => void;
  onLoaded: (win: BrowserWindow) => void;
  log: Logger;
}

export class MainWindow {
  win: BrowserWindow | null = null;
  private state: WindowState;
  private saveTimer: NodeJS.Timeout | null = null;
  private readonly stateFile: string;

  constructor(private readonly options: MainWindowOptions) {
    this.stateFile = join(options.dataDir, 'window-state.json');
    let text: string | null;
    try {
      text = readFileSync(this.stateFile, 'utf8');
    } catch {
      text = null; // first start
    }
    this.state = parseWindowState(text);
  }

  get alwaysOnTop(): boolean {
    return this.state.alwaysOnTop;
  }

  create(showWhenReady = true): BrowserWindow {
    const screens = screen.getAllDisplays().map(toScreen);
    const { bounds } = restoreBounds(this.state, screens, toScreen(screen.getPrimaryDisplay()));
    const win = new BrowserWindow({ ...mainWindowOptions(this.options.preload), ...bounds, alwaysOnTop: this.state.alwaysOnTop });
    const contents = win.webContents;
    contents.on('will-navigate', (event, url) => {
      if (isAllowedNavigation(url)) return;
      event.preventDefault();
      // « Télécharger » on an attachment: a cross-origin <a download> navigates; make it a download.
      if (url.startsWith(`${MEDIA_SCHEME}:`)) contents.downloadURL(url);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith(`${MEDIA_SCHEME}:`)) contents.downloadURL(url);
      return { action: 'deny' };
    });
    contents.on('did-finish-load', () => this.options.onLoaded(win));
    if (showWhenReady) win.once('ready-to-show', () => win.show());
    win.on('session-end', () => this.options.onSessionEnd());
    win.on('moved', () => this.scheduleSave());
    win.on('resized', () => this.scheduleSave());
    win.on('close', (event) => {
      this.saveNow();
      if (this.options.quitting()) return;
      event.preventDefault();
      win.hide();
      if (!this.state.trayNoticeShown) {
        this.state = { ...this.state, trayNoticeShown: true };
        this.saveNow();
        this.options.onFirstCloseToTray();
      }
    });
    win.on('closed', () => {
      if (this.win === win) this.win = null;
    });
    void win.loadURL(APP_ENTRY);
    this.win = win;
    return win;
  }

  /** A launch from the LGC shows without taking the keyboard (unless configured); a user click focuses. */
  show(reason: 'launch' | 'user'): void {
    const win = this.win;
    if (!win) return;
    const plan = focusPlan(reason, { visible: win.isVisible(), minimized: win.isMinimized() }, this.options.focusOnLaunch());
    if (plan.restore) win.restore();
    if (plan.show === 'show') win.show();
    else if (plan.show === 'showInactive') win.showInactive();
    if (plan.moveTop) win.moveTop();
    if (plan.focus) win.focus();
  }

  dock(side: DockSide): void {
    const win = this.win;
    if (!win) return;
    const current = toScreen(screen.getDisplayMatching(win.getBounds()));
    const next = dock(this.state, current, side);
    this.state = next.state;
    win.setBounds(next.bounds);
    this.show('user');
    this.saveNow();
  }

  setAlwaysOnTop(on: boolean): void {
    this.state = { ...this.state, alwaysOnTop: on };
    this.win?.setAlwaysOnTop(on, 'floating');
    this.saveNow();
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveNow(), 500);
  }

  private saveNow(): void {
    const win = this.win;
    if (win && !win.isDestroyed() && !win.isMinimized() && !win.isFullScreen()) {
      const bounds = win.getBounds();
      this.state = rememberBounds(this.state, toScreen(screen.getDisplayMatching(bounds)), bounds);
    }
    try {
      writeFileSync(this.stateFile, JSON.stringify(this.state), { mode: 0o600 });
    } catch (error) {
      this.options.log.warn('window.state-not-saved', { error });
    }
  }
}

function toScreen(display: { workArea: Rectangle; scaleFactor: number }): ScreenInfo {
  return { workArea: { ...display.workArea }, scaleFactor: display.scaleFactor };
}
