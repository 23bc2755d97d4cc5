import { APP_ORIGIN } from './window-options';

/**
 * One permission question from Chromium, reduced to what the decision needs, so it is testable
 * without Electron. A request (setPermissionRequestHandler) lists `mediaTypes`; a check
 * (setPermissionCheckHandler) gives one `mediaType`; both are mapped here.
 */
export interface PermissionAsk {
  permission: string;
  /** The requesting frame's URL, or its origin when Chromium gives only that. */
  requestingUrl: string | undefined;
  isMainFrame: boolean;
  /** Media kinds asked for; for a check, the single `mediaType` ('unknown' included). */
  mediaTypes: readonly string[] | undefined;
}

function isOurOrigin(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * The only thing the window needs from the browser is the microphone, for voice notes
 * (DraftComposer: getUserMedia({ audio: true })). So: `media`, audio only, asked by the top frame
 * of our own bundle. Everything else (camera, screen, geolocation, notifications — OS
 * notifications come from the main process —, clipboard, HID/USB/serial, any iframe such as an
 * attachment or a PDF, any other origin) is denied.
 */
export function isPermissionGranted(ask: PermissionAsk): boolean {
  if (ask.permission !== 'media') return false;
  if (!ask.isMainFrame || !isOurOrigin(ask.requestingUrl)) return false;
  const kinds = ask.mediaTypes ?? [];
  return kinds.length > 0 && kinds.every((k) => k === 'audio');
}

/** Details of a permission request as Electron passes them (only the fields read here). */
interface RequestDetailsLike {
  isMainFrame: boolean;
  requestingUrl: string;
  mediaTypes?: readonly string[];
}

/** setPermissionRequestHandler → the policy. */
export function decidePermissionRequest(permission: string, details: RequestDetailsLike): boolean {
  return isPermissionGranted({
    permission,
    requestingUrl: details.requestingUrl,
    isMainFrame: details.isMainFrame,
    mediaTypes: details.mediaTypes,
  });
}

/** Details of a permission check as Electron passes them (only the fields read here). */
interface CheckDetailsLike {
  isMainFrame: boolean;
  requestingUrl?: string;
  mediaType?: string;
}

/** setPermissionCheckHandler → the same policy. Cross-origin subframes have no requestingUrl: denied. */
export function decidePermissionCheck(permission: string, requestingOrigin: string, details: CheckDetailsLike): boolean {
  return isPermissionGranted({
    permission,
    // Both must be ours: the origin Chromium reports and the frame's URL when given.
    requestingUrl: isOurOrigin(requestingOrigin) ? (details.requestingUrl ?? requestingOrigin) : undefined,
    isMainFrame: details.isMainFrame,
    mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
  });
}
