/**
 * The only control endpoint a `relais launch` sends its token to: loopback by address, plain HTTP,
 * a port. Not `localhost` (a hosts file or a resolver can point it elsewhere). The native
 * launcher (native-launcher/instance.go) applies the same pattern.
 */
const LOOPBACK_CONTROL_URL = /^http:\/\/127\.0\.0\.1:\d{1,5}$/;

/** The URL without its trailing slash when it is a loopback control endpoint, else null. */
export function loopbackControlUrl(url: string): string | null {
  const trimmed = url.replace(/\/$/, '');
  return LOOPBACK_CONTROL_URL.test(trimmed) ? trimmed : null;
}
