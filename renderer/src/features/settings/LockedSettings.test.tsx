import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LockedSettings, PlatformUnreachable } from './LockedSettings';
import { SignInScreen } from '../session/SignInScreen';
import type { AuthStatus } from '../../contract';

const base: AuthStatus = { signedIn: false, professional: null, method: null, card: null, demoAllowed: true, pendingLaunch: false, pscAvailable: false, pscPending: false };
const noop = async () => null;

describe('locked settings in the window (machine policy)', () => {
  it('names each setting the policy decides, in French', () => {
    const html = renderToStaticMarkup(<LockedSettings policy={{ locked: ['platformUrl', 'updatesDisabled', 'followLgc'], problems: [] }} />);
    expect(html).toContain('Réglages définis par votre service informatique');
    for (const label of ['Plateforme de coordination', 'Mises à jour automatiques', 'Suivre le logiciel du cabinet']) expect(html).toContain(label);
    expect(html).not.toContain('role="alert"');
  });

  it('shows the policy errors as an alert', () => {
    const html = renderToStaticMarkup(<LockedSettings policy={{ locked: [], problems: ['Stratégie Relais : la valeur de « logLevel » n’est pas valide'] }} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('« logLevel »');
  });

  it('is absent without a policy; the sign-in screen carries it and the offline line', () => {
    expect(renderToStaticMarkup(<LockedSettings policy={undefined} />)).toBe('');
    expect(renderToStaticMarkup(<PlatformUnreachable status={base} />)).toBe('');
    const screen = renderToStaticMarkup(
      <SignInScreen status={{ ...base, platformUnreachable: true, machinePolicy: { locked: ['signInModes'], problems: [] } }} onCardSignIn={noop} onDemo={noop} onPsc={noop} onPscCancel={() => undefined} />,
    );
    expect(screen).toContain('data-testid="platform-unreachable"');
    expect(screen).toContain('Modes de connexion');
  });
});
