import { describe, expect, it } from 'vitest';
import { decidePermissionCheck, decidePermissionRequest, isPermissionGranted } from './permission-policy';
import { APP_ENTRY, APP_ORIGIN } from './window-options';

const ours = { requestingUrl: APP_ENTRY, isMainFrame: true };

describe('Electron permission policy (microphone for voice notes, nothing else)', () => {
  it('grants audio-only media to the top frame of the bundle', () => {
    expect(decidePermissionRequest('media', { ...ours, mediaTypes: ['audio'] })).toBe(true);
    expect(decidePermissionCheck('media', APP_ORIGIN, { ...ours, mediaType: 'audio' })).toBe(true);
  });

  it('denies the camera, even with the microphone, and media of unknown kind', () => {
    expect(decidePermissionRequest('media', { ...ours, mediaTypes: ['video'] })).toBe(false);
    expect(decidePermissionRequest('media', { ...ours, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(decidePermissionRequest('media', { ...ours, mediaTypes: [] })).toBe(false);
    expect(decidePermissionRequest('media', { ...ours })).toBe(false);
    expect(decidePermissionCheck('media', APP_ORIGIN, { ...ours, mediaType: 'video' })).toBe(false);
    expect(decidePermissionCheck('media', APP_ORIGIN, { ...ours, mediaType: 'unknown' })).toBe(false);
  });

  it('denies any iframe (attachment, PDF viewer) and any other origin', () => {
    expect(decidePermissionRequest('media', { ...ours, isMainFrame: false, mediaTypes: ['audio'] })).toBe(false);
    for (const url of ['https://evil.example/', 'relais-media://x/?src=Binary/1', 'relais-app://bundle.evil/index.html', 'file:///index.html', 'blob:relais-app://bundle/1', '']) {
      expect(decidePermissionRequest('media', { requestingUrl: url, isMainFrame: true, mediaTypes: ['audio'] })).toBe(false);
    }
    expect(decidePermissionCheck('media', 'https://evil.example', { isMainFrame: true, mediaType: 'audio' })).toBe(false);
    expect(decidePermissionCheck('media', APP_ORIGIN, { isMainFrame: false, mediaType: 'audio' })).toBe(false);
    // Chromium reports our origin but the frame's URL elsewhere: not ours.
    expect(decidePermissionCheck('media', APP_ORIGIN, { isMainFrame: true, requestingUrl: 'https://evil.example/', mediaType: 'audio' })).toBe(false);
  });

  it('denies every other permission, notifications included (OS notifications come from the main process)', () => {
    for (const p of ['notifications', 'geolocation', 'display-capture', 'clipboard-read', 'openExternal', 'fullscreen', 'midiSysex', 'hid', 'usb', 'serial', 'fileSystem', 'unknown']) {
      expect(isPermissionGranted({ permission: p, ...ours, mediaTypes: ['audio'] })).toBe(false);
      expect(decidePermissionCheck(p, APP_ORIGIN, { ...ours, mediaType: 'audio' })).toBe(false);
    }
  });
});
