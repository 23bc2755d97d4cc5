import { RelaisError } from '../../contract';

/**
 * The coordination platform Relais talks to, checked once at start and before every sign-in.
 * Patient data and bearer tokens travel on this connection: anything but a loopback address
 * (the embedded sandbox, a local test platform) must be https. There is no built-in default:
 * a production install that names no platform says so on its sign-in screen instead of quietly
 * talking to 127.0.0.1.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Throws PLATFORM_NOT_CONFIGURED when the URL is absent, malformed, or plain http off the machine. */
export function checkPlatformUrl(url: string | null | undefined, what = 'platform'): string {
  const value = url?.trim();
  if (!value) throw new RelaisError('PLATFORM_NOT_CONFIGURED', `no ${what} URL configured (RELAIS_PLATFORM_URL)`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new RelaisError('PLATFORM_NOT_CONFIGURED', `the ${what} URL is not a URL`);
  }
  if (parsed.protocol === 'https:') return value;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return value;
  throw new RelaisError('PLATFORM_NOT_CONFIGURED', `the ${what} URL must use https (${parsed.protocol}//${parsed.host} refused)`);
}

/** Why this URL cannot be used (PLATFORM_NOT_CONFIGURED), or null when it can. */
export function platformUrlProblem(url: string | null | undefined): RelaisError | null {
  try {
    checkPlatformUrl(url);
    return null;
  } catch (error) {
    if (error instanceof RelaisError) return error;
    throw error;
  }
}

/** The demo identity is opt-in: only RELAIS_DEMO=1 (npm start, tests) offers it. */
export function demoEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RELAIS_DEMO?.trim() === '1';
}
