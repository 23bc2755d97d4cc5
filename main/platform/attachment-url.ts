import { RelaisError } from '../../contract';

/**
 * The absolute URL of an attachment the window asks for, only when it lies under the platform's
 * base URL: no host becomes a proxy to anywhere else.
 */
export function attachmentUrlUnder(baseUrl: string, src: string): string {
  const base = new URL(baseUrl.replace(/\/?$/, '/'));
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    throw new RelaisError('INVALID_INPUT', 'attachment URL malformed', 'src');
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new RelaisError('FORBIDDEN', 'attachment outside the platform', 'src');
  }
  return url.href;
}
