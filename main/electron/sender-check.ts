import { APP_ORIGIN } from './window-options';

/** Minimal view of an IPC event's sender frame, so the check is testable without Electron. */
export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

/**
 * IPC is accepted only from the top frame of our own bundle: never from an iframe (a PDF viewer,
 * an attachment) and never from a page that navigated elsewhere.
 */
export function isTrustedSender(frame: SenderFrameLike | null | undefined): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Navigation inside the app window is never allowed to leave the bundle. */
export function isAllowedNavigation(target: string): boolean {
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
