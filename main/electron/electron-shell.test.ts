import { describe, expect, it } from 'vitest';
import { launchFromArgv } from '../launch/argv';
import { isAllowedNavigation, isTrustedSender } from './sender-check';
import { INITIAL_TRAY_STATE, trayItems, trayTooltip } from './tray-menu';
import { APP_ENTRY, ELECTRON_CSP, mainWindowOptions } from './window-options';

describe('Electron shell pure logic', () => {
  it('creates windows by the security checklist', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences ?? {};
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('sets a CSP without inline or remote scripts', () => {
    expect(ELECTRON_CSP).toContain("script-src 'self'");
    expect(ELECTRON_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(ELECTRON_CSP).toContain("object-src 'none'");
  });

  it('accepts IPC only from the top frame of the bundle', () => {
    expect(isTrustedSender({ url: APP_ENTRY, parent: null })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'relais-app://bundle.evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('blocks navigation out of the bundle', () => {
    expect(isAllowedNavigation(`${APP_ENTRY}#x`)).toBe(true);
    expect(isAllowedNavigation('https://example.org')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
  });

  it('reads a launch from a second instance argv as Windows passes it (registration `Relais.exe -- "%1"`)', () => {
    const argv = [
      'C:\\Program Files\\Relais\\Relais.exe',
      '--allow-file-access-from-files',
      '--',
      'relais://patient/open/?ins=295109912611193&oid=1.2.250.1.213.1.4.10&birthName=DUPONT&firstNames=Marie&birthDate=1995-10-12&sex=F',
    ];
    expect(launchFromArgv(argv)).toMatchObject({ kind: 'launch', context: { birthName: 'DUPONT' } });
  });

  it('has a French tray menu: open, patient, unread, pending outbox, lock, sign out, quit', () => {
    const signedIn = trayItems({ ...INITIAL_TRAY_STATE, signedIn: true, patient: 'Mme DUPONT Marie', unread: 3, pendingOutbox: 1 }).map((i) => i.label);
    expect(signedIn).toEqual([
      'Ouvrir Relais',
      'Patient : Mme DUPONT Marie',
      '3 alertes non traitées',
      '1 envoi en attente',
      'Ancrer à droite',
      'Ancrer à gauche',
      'Toujours au premier plan',
      'Démarrer avec la session',
      'Exporter un diagnostic…',
      'Verrouiller',
      'Se déconnecter',
      'Quitter Relais',
    ]);
    const out = trayItems({ ...INITIAL_TRAY_STATE, startAtLogin: null, updateReady: '1.3.0' }).map((i) => i.label);
    expect(out).toEqual(['Ouvrir Relais', 'Ancrer à droite', 'Ancrer à gauche', 'Toujours au premier plan', 'Redémarrer pour mettre à jour (1.3.0)', 'Exporter un diagnostic…', 'Quitter Relais']);
    expect(trayTooltip({ ...INITIAL_TRAY_STATE, unread: 1, pendingOutbox: 2 })).toBe('Relais — 1 alerte, 2 envois en attente');
    expect(trayTooltip(INITIAL_TRAY_STATE)).toBe('Relais');
  });
});
