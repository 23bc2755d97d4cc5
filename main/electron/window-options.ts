import type { BrowserWindowConstructorOptions } from 'electron';

/** The Electron security checklist, in one place so a test can hold it. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 360,
    minHeight: 480,
    title: 'Relais',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  };
}

export const APP_SCHEME = 'relais-app';
export const MEDIA_SCHEME = 'relais-media';
export const APP_ORIGIN = `${APP_SCHEME}://bundle`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export const ELECTRON_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' ${MEDIA_SCHEME}: blob: data:`,
  `media-src 'self' ${MEDIA_SCHEME}: blob:`,
  "connect-src 'self'",
  // blob: only for the ordonnance preview (a PDF this page made itself from the core's answer).
  `frame-src 'self' ${MEDIA_SCHEME}: blob:`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
